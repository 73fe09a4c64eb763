/// What Baton asks a skill to do: the `op` label of `baton_skill_calls_total`.
enum SkillOperation: String, Sendable {
    /// A responder writes a reply.
    case respond
    /// A detector scores the need to hand over.
    case detect
}

/// How one skill call ended: the `result` label of `baton_skill_calls_total`.
enum SkillCallResult: String, Sendable {
    /// It returned in time.
    case ok
    /// It failed (an error status, an invalid result, a crash contained by the loader).
    case error
    /// It was abandoned at its deadline.
    case timeout
    /// Earlier calls still hang past their deadline: the skill was skipped this time.
    case busy
    /// The circuit breaker has switched the skill off for a while.
    case circuitOpen = "circuit_open"
    /// A shutdown past its grace period cut it short (not the skill's fault).
    case abandonedAtShutdown = "abandoned_at_shutdown"
}

import BatonSkills

/// Where a ``SkillSet`` member came from: its `skills:` entry as configured and the content of
/// its library when it was loaded. A reload keeps a member whose entry and library content are
/// both unchanged, and replaces the others.
struct SkillOrigin: Sendable, Equatable {
    /// The entry as the configuration file gave it (the configured path, not a copy's).
    var entry: BatonConfiguration.Skill
    /// The library's SHA-256 when it was loaded (nil: it could not be read).
    var digest: LibraryDigest?

    /// The library the entry names: its `path`, or its `ffi.library`.
    var libraryPath: String { entry.libraryPath }
}

extension BatonConfiguration.Skill {
    /// The library the entry names: its `path`, or its `ffi.library`.
    var libraryPath: String { ffi?.library ?? path }
}

extension SkillSet.Entry {
    /// This entry, remembered as made from `skill` whose library had `digest`.
    /// - Parameters:
    ///   - skill: the `skills:` entry as configured.
    ///   - digest: its library's digest, read before it was loaded.
    func from(_ skill: BatonConfiguration.Skill, digest: LibraryDigest?) -> Self {
        var entry = self
        entry.origin = SkillOrigin(entry: skill, digest: digest)
        return entry
    }
}

/// The version string an endpoint serves, for log lines: the descriptor's version, or
/// `ffi` for a plain C function (which has none).
func servingVersion(_ endpoint: any SkillEndpoint) -> String {
    if let instance = endpoint as? SkillInstance { return instance.skill.version }
    if let pool = endpoint as? WorkerPool { return pool.version }
    return "ffi"
}

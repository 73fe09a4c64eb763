/// Plain C functions bound beside the loader's ABI skills, on the same thread pool.
extension SkillLoader {
    /// Binds a plain C function as a skill (see ``FFISkill``): its calls run on this loader's
    /// thread pool, and the binding is logged under this loader's logger.
    /// - Parameters:
    ///   - library: the shared library's path.
    ///   - prototype: the function's prototype.
    ///   - kind: `.responder` or `.detector`.
    ///   - name: the name in logs and metrics (nil: the function's name).
    /// - Returns: the bound function.
    /// - Throws: ``FFISkillError`` with a one-line message.
    public func bindFunction(library: String, prototype: FFIPrototype, kind: SkillKind, name: String? = nil) throws(FFISkillError)
        -> FFISkill
    {
        try FFISkill.bind(library: library, prototype: prototype, kind: kind, name: name, threadPool: threadPool, logger: logger)
    }
}

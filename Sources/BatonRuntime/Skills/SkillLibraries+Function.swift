import BatonSkills

extension SkillLibraries {
    /// Binds the plain C function of an `ffi:` entry on the skill thread pool. A failure names
    /// the key it is about: `KEY.ffi.library` when the library cannot be opened,
    /// `KEY.ffi.function` otherwise (e.g. `symbol 'refund_scor' not found in /srv/librefund.so`).
    /// - Parameters:
    ///   - skill: the entry; its `ffi` and `kind` are set (the reader checked them).
    ///   - key: the entry's key, `skills[1]` or `apps[0].skills[1]`.
    /// - Returns: the bound function.
    func bindFunction(_ skill: BatonConfiguration.Skill, key: String) throws(ConfigurationError) -> FFISkill {
        guard let ffi = skill.ffi, let kind = skill.kind else {
            throw ConfigurationError(key: "\(key).kind", "is required with ffi: responder or detector")
        }
        do throws(FFISkillError) {
            let prototype = try FFIPrototype(parsing: ffi.prototype)
            return try loader.bindFunction(library: ffi.library, prototype: prototype, kind: kind, name: skill.name)
        } catch {
            throw ConfigurationError(key: "\(key).ffi.\(error.code == .notALibrary ? "library" : "function")", error.message)
        }
    }
}

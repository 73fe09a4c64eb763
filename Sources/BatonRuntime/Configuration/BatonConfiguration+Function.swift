public import BatonCore
public import BatonSkills

extension BatonConfiguration {
    /// `ffi:` of a `skills:` entry: a plain C function bound through libffi instead of a skill
    /// library, e.g. `double refund_score(const char *text, size_t length)` in `librefund.so`.
    public struct Function: Sendable, Equatable {
        /// `library`: the shared library's absolute path.
        public var library: String
        /// `function`: the C prototype as written (it parses: the reader checked it).
        public var prototype: String

        /// - Parameters:
        ///   - library: the shared library's absolute path.
        ///   - prototype: the C prototype, e.g. `double refund_score(const char *text, size_t length)`.
        public init(library: String, prototype: String) {
            (self.library, self.prototype) = (library, prototype)
        }
    }
}

extension BatonConfiguration.Skill {
    /// An entry binding a plain C function (`ffi:`), with no skill library.
    /// - Parameters:
    ///   - ffi: the library and the function's prototype.
    ///   - kind: `.responder` or `.detector`.
    ///   - name: the name in logs and metrics (nil: the function's name).
    ///   - timeoutMilliseconds: how long one call may take.
    ///   - escalation: where this detector's escalation goes (nil: a human).
    ///   - threshold: this detector's own threshold (nil: the handover section's).
    public init(
        ffi: BatonConfiguration.Function, kind: SkillKind, name: String? = nil, timeoutMilliseconds: Int = 2000,
        escalation: EscalationTarget? = nil, threshold: Double? = nil
    ) {
        self.init(path: "", timeoutMilliseconds: timeoutMilliseconds, escalation: escalation, threshold: threshold)
        (self.ffi, self.kind, self.name) = (ffi, kind, name)
    }
}

extension ConfigSchema {
    /// `ffi:` of a skill entry.
    static var function: ConfigSection<BatonConfiguration.Function> {
        ConfigSection(keys: [
            .init("library", \.library, .path, required: true, doc: "the shared library holding the function"),
            .init(
                "function", \.prototype, .cPrototype, required: true,
                doc: "its C prototype: a detector returning double, float, int or bool, or an int responder with an out buffer"),
        ])
    }

    /// The checks across a skill entry's keys: exactly one of `path` and `ffi`; `kind` with `ffi`
    /// (and only there), and a prototype that fits it.
    static func checkSkillEntry(_ skill: inout BatonConfiguration.Skill, _ key: String) throws(ConfigurationError) {
        guard let ffi = skill.ffi else {
            guard !skill.path.isEmpty else { throw ConfigurationError(key: "\(key).path", "is required (or ffi: for a plain C function)") }
            if skill.kind != nil { throw ConfigurationError(key: "\(key).kind", "is for ffi entries: a skill library's descriptor gives its kind") }
            if skill.name != nil { throw ConfigurationError(key: "\(key).name", "is for ffi entries: a skill library's descriptor gives its name") }
            return
        }
        guard skill.path.isEmpty else {
            throw ConfigurationError(key: key, "has both path and ffi: an entry is either a skill library or a plain C function")
        }
        guard skill.configJSON == "{}" else {
            throw ConfigurationError(key: "\(key).config", "is for skill libraries: a plain C function takes no configuration")
        }
        guard let kind = skill.kind else { throw ConfigurationError(key: "\(key).kind", "is required with ffi: responder or detector") }
        do throws(FFISkillError) { try FFIPrototype(parsing: ffi.prototype).check(for: kind) } catch {
            throw ConfigurationError(key: "\(key).ffi.function", error.message)
        }
    }
}

extension ConfigType where Value == String {
    /// A C prototype that parses (``FFIPrototype``), kept as written.
    static var cPrototype: ConfigType {
        .scalar("C prototype") { reader, raw, key throws(ConfigurationError) in
            let text = try reader.string(raw, key)
            do throws(FFISkillError) { _ = try FFIPrototype(parsing: text) } catch { throw ConfigurationError(key: key, error.message) }
            return text
        }
    }
}

extension ConfigType where Value == SkillKind? {
    /// `responder` or `detector`, absent: nil.
    static var functionKind: ConfigType { ConfigType<SkillKind>.skillKind.optional(placeholder: .detector) }
}

extension ConfigType where Value == SkillKind {
    /// `responder` or `detector`.
    static var skillKind: ConfigType {
        .scalar("responder or detector", show: \.description) { reader, raw, key throws(ConfigurationError) in
            switch try reader.string(raw, key) {
            case "responder": return .responder
            case "detector": return .detector
            case let other: throw ConfigurationError(key: key, "must be responder or detector, got '\(other)'")
            }
        }
    }
}

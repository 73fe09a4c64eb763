import CBatonSkill

/// What a skill does, from the `kind` bits of its descriptor.
public struct SkillKind: OptionSet, Sendable, Hashable, CustomStringConvertible {
    /// The raw `BATON_SKILL_KIND_*` bits.
    public let rawValue: UInt32

    /// Creates a kind from raw `BATON_SKILL_KIND_*` bits.
    /// - Parameter rawValue: the bits.
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// The skill writes replies (`respond`).
    public static let responder = SkillKind(rawValue: UInt32(BATON_SKILL_KIND_RESPONDER))
    /// The skill scores the need for a human (`detect`).
    public static let detector = SkillKind(rawValue: UInt32(BATON_SKILL_KIND_DETECTOR))

    /// Every bit this host knows.
    static let known: SkillKind = [.responder, .detector]

    /// For example `responder+detector`.
    public var description: String {
        var parts: [String] = []
        if contains(.responder) { parts.append("responder") }
        if contains(.detector) { parts.append("detector") }
        let unknown = rawValue & ~SkillKind.known.rawValue
        if unknown != 0 { parts.append("0x" + String(unknown, radix: 16)) }
        return parts.isEmpty ? "none" : parts.joined(separator: "+")
    }
}

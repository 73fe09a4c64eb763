// FAQSkill: the example Swift responder of Baton.
//
// Answers the configured question closest to the user's message, forgiving case, accents,
// punctuation, word order, filler words and small typos; no answer when nothing is close
// enough. Configuration:
//   {"entries": [{"question": "...", "answer": "...", "quick_replies": ["...", ...]}],
//    "min_score": 0.5}

import CBatonSkill
import Glibc

/// The skill's entry point, checked by the compiler against the declaration in `baton/skill.h`.
///
/// It must stay `public`: release builds do not export internal `@c` functions.
/// - Parameter host: the host table; valid for the life of the process.
/// - Returns: the static descriptor, or `nil` when the host speaks another ABI major.
@c @implementation
public func baton_skill_entry_v1(_ host: UnsafePointer<baton_host>?) -> UnsafePointer<baton_skill>? {
    guard let host, host.pointee.abi_major == UInt32(BATON_SKILL_ABI_MAJOR),
        host.pointee.struct_size >= UInt32(MemoryLayout<baton_host>.size)
    else { return nil }
    return UnsafePointer(FAQSkillDescriptor.skill)
}

/// The descriptor and the strings it points to, allocated once and kept for the life of the process.
enum FAQSkillDescriptor {
    /// Process-lifetime NUL-terminated copies of the descriptor's strings.
    nonisolated(unsafe) static let name: UnsafeMutablePointer<CChar>? = strdup("FAQSkill")
    nonisolated(unsafe) static let version: UnsafeMutablePointer<CChar>? = strdup("1.0.0")
    nonisolated(unsafe) static let summary: UnsafeMutablePointer<CChar>? = strdup(
        "Answers the configured FAQ entry closest to the message, forgiving typos."
    )

    /// The descriptor itself, in memory that is never freed nor written after it is built.
    nonisolated(unsafe) static let skill: UnsafeMutablePointer<baton_skill> = {
        let pointer = UnsafeMutablePointer<baton_skill>.allocate(capacity: 1)
        pointer.initialize(
            to: baton_skill(
                struct_size: UInt32(MemoryLayout<baton_skill>.size),
                abi_major: UInt32(BATON_SKILL_ABI_MAJOR),
                abi_minor: UInt32(BATON_SKILL_ABI_MINOR),
                kind: UInt32(BATON_SKILL_KIND_RESPONDER),
                capabilities: UInt64(BATON_SKILL_CAP_THREAD_SAFE),
                name: UnsafePointer(name),
                version: UnsafePointer(version),
                description: UnsafePointer(summary),
                create: { host, config, call in FAQResponder.create(host: host, config: config, call: call) },
                destroy: { instance in FAQResponder.destroy(instance) },
                respond: { instance, call, input in FAQResponder.respond(instance, call: call, input: input) },
                detect: nil,
                shutdown: nil
            )
        )
        return pointer
    }()
}

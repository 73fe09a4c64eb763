import CBatonSkill

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A descriptor returned by a skill's entry, checked field by field and copied.
struct SkillDescriptor {
    /// The 1.0 descriptor as this host reads it (the skill's own may be larger).
    let raw: baton_skill
    let name: String
    let version: String
    let description: String?
    let kind: SkillKind
    let capabilities: UInt64
    let abiMinor: UInt32

    /// The longest name, in bytes.
    static let maxNameLength = 64

    /// Checks the descriptor at `pointer` in the order of ABI.md: size, major, minor,
    /// then the fields. Reads nothing past `struct_size`.
    /// - Parameters:
    ///   - pointer: what the entry returned, not NULL.
    ///   - path: the library, for errors.
    init(_ pointer: UnsafePointer<baton_skill>, path: String) throws(SkillLoadError) {
        func refuse(_ code: SkillLoadError.Code, _ message: String) -> SkillLoadError {
            SkillLoadError(path: path, code: code, message: message)
        }
        let hostMajor = UInt32(BATON_SKILL_ABI_MAJOR)
        let hostMinor = UInt32(BATON_SKILL_ABI_MINOR)
        let minimum = MemoryLayout<baton_skill>.size
        // struct_size is the first field of every version: read it alone first.
        let size = UnsafeRawPointer(pointer).load(as: UInt32.self)
        guard Int(size) >= minimum else {
            throw refuse(
                .structTooSmall, "descriptor struct_size \(size) is smaller than the ABI 1.0 size \(minimum)")
        }
        let raw = pointer.pointee
        guard raw.abi_major == hostMajor else {
            throw refuse(
                .wrongMajor, "skill ABI major \(raw.abi_major) is not supported (host ABI \(hostMajor).\(hostMinor))")
        }
        guard raw.abi_minor <= hostMinor else {
            throw refuse(
                .newerMinor,
                "skill ABI \(raw.abi_major).\(raw.abi_minor) is newer than the host ABI \(hostMajor).\(hostMinor)")
        }
        self.raw = raw
        self.abiMinor = raw.abi_minor
        self.capabilities = raw.capabilities
        self.name = try Self.name(raw.name, refuse)
        guard let version = raw.version else { throw refuse(.invalidDescriptor, "descriptor version is NULL") }
        guard let versionText = String(validatingCString: version) else {
            throw refuse(.invalidDescriptor, "descriptor version is not valid UTF-8")
        }
        self.version = versionText
        if let description = raw.description {
            guard let text = String(validatingCString: description) else {
                throw refuse(.invalidDescriptor, "descriptor description is not valid UTF-8")
            }
            self.description = text
        } else {
            self.description = nil
        }
        let kind = SkillKind(rawValue: raw.kind)
        guard !kind.isEmpty else { throw refuse(.invalidDescriptor, "descriptor kind is 0") }
        guard SkillKind.known.isSuperset(of: kind) else {
            throw refuse(
                .invalidDescriptor, "descriptor kind 0x\(String(raw.kind, radix: 16)) has unknown bits")
        }
        self.kind = kind
        guard raw.create != nil else { throw refuse(.invalidDescriptor, "descriptor create is NULL") }
        guard raw.destroy != nil else { throw refuse(.invalidDescriptor, "descriptor destroy is NULL") }
        if kind.contains(.responder) && raw.respond == nil {
            throw refuse(.invalidDescriptor, "descriptor respond is NULL for a responder")
        }
        if kind.contains(.detector) && raw.detect == nil {
            throw refuse(.invalidDescriptor, "descriptor detect is NULL for a detector")
        }
    }

    /// The name: 1 to 64 bytes of [A-Za-z0-9_.-], read without passing byte 65.
    private static func name(
        _ pointer: UnsafePointer<CChar>?, _ refuse: (SkillLoadError.Code, String) -> SkillLoadError
    ) throws(SkillLoadError) -> String {
        guard let pointer else { throw refuse(.invalidDescriptor, "descriptor name is NULL") }
        let length = strnlen(pointer, maxNameLength + 1)
        let bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(pointer), count: length)
        let allowed = bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
        guard length >= 1, length <= maxNameLength, allowed else {
            let shown = String(decoding: bytes, as: UTF8.self)
            throw refuse(
                .invalidDescriptor,
                "descriptor name \"\(shown)\(length > maxNameLength ? "..." : "")\" is not 1 to 64 of [A-Za-z0-9_.-]")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

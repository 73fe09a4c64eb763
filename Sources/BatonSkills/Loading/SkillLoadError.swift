public import BatonCore

/// Why a skill could not be loaded or instantiated. Its `description` is one line:
/// `skill <path>: <message>`.
public struct SkillLoadError: Error, CustomStringConvertible, Equatable {
    /// The kind of failure; an extensible set.
    public typealias Code = ErrorCode<SkillLoadError>

    /// The library's path as given to the loader.
    public var path: String
    /// The kind of failure.
    public var code: Code
    /// What went wrong, one line.
    public var message: String
    /// The skill's own words, when it refused through `set_error` (a `create` that returned NULL).
    public var skillReason: String?

    /// Creates an error.
    /// - Parameters:
    ///   - path: the library's path.
    ///   - code: the kind of failure.
    ///   - message: what went wrong, one line.
    ///   - skillReason: the skill's own words, when it gave any.
    public init(path: String, code: Code, message: String, skillReason: String? = nil) {
        (self.path, self.code, self.message, self.skillReason) = (path, code, message, skillReason)
    }

    /// `skill <path>: <message>`.
    public var description: String { "skill \(path): \(message)" }
}

extension ErrorCode where Domain == SkillLoadError {
    /// The file does not exist.
    public static var fileNotFound: Self { Self("fileNotFound") }
    /// The file exists but is not a readable regular file.
    public static var notReadable: Self { Self("notReadable") }
    /// The file is writable by its group or by others.
    public static var insecurePermissions: Self { Self("insecurePermissions") }
    /// `dlopen` failed: not a shared library, wrong architecture, missing dependency.
    public static var notALibrary: Self { Self("notALibrary") }
    /// The library does not export `baton_skill_entry_v1`.
    public static var missingEntry: Self { Self("missingEntry") }
    /// The entry returned NULL.
    public static var nullDescriptor: Self { Self("nullDescriptor") }
    /// The descriptor's `struct_size` is below the ABI 1.0 size.
    public static var structTooSmall: Self { Self("structTooSmall") }
    /// The descriptor's `abi_major` is not the host's.
    public static var wrongMajor: Self { Self("wrongMajor") }
    /// The descriptor's `abi_minor` is newer than the host's.
    public static var newerMinor: Self { Self("newerMinor") }
    /// A descriptor field is missing or malformed (name, version, kind, functions).
    public static var invalidDescriptor: Self { Self("invalidDescriptor") }
    /// A skill with the same name is already loaded.
    public static var duplicateName: Self { Self("duplicateName") }
    /// `create` refused the configuration.
    public static var createFailed: Self { Self("createFailed") }
}

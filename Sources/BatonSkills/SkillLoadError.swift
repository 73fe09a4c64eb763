/// Why a skill could not be loaded or instantiated. Its `description` is one line:
/// `skill <path>: <message>`.
public struct SkillLoadError: Error, CustomStringConvertible, Equatable {
    /// The kind of failure; an extensible set.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case fileNotFound, notReadable, insecurePermissions, notALibrary, missingEntry
            case nullDescriptor, structTooSmall, wrongMajor, newerMinor, invalidDescriptor
            case duplicateName, createFailed
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The file does not exist.
        public static let fileNotFound = Code(.fileNotFound)
        /// The file exists but is not a readable regular file.
        public static let notReadable = Code(.notReadable)
        /// The file is writable by its group or by others.
        public static let insecurePermissions = Code(.insecurePermissions)
        /// `dlopen` failed: not a shared library, wrong architecture, missing dependency.
        public static let notALibrary = Code(.notALibrary)
        /// The library does not export `baton_skill_entry_v1`.
        public static let missingEntry = Code(.missingEntry)
        /// The entry returned NULL.
        public static let nullDescriptor = Code(.nullDescriptor)
        /// The descriptor's `struct_size` is below the ABI 1.0 size.
        public static let structTooSmall = Code(.structTooSmall)
        /// The descriptor's `abi_major` is not the host's.
        public static let wrongMajor = Code(.wrongMajor)
        /// The descriptor's `abi_minor` is newer than the host's.
        public static let newerMinor = Code(.newerMinor)
        /// A descriptor field is missing or malformed (name, version, kind, functions).
        public static let invalidDescriptor = Code(.invalidDescriptor)
        /// A skill with the same name is already loaded.
        public static let duplicateName = Code(.duplicateName)
        /// `create` refused the configuration.
        public static let createFailed = Code(.createFailed)

        /// The code's name, e.g. `missingEntry`.
        public var description: String { base.rawValue }
    }

    /// The library's path as given to the loader.
    public var path: String
    /// The kind of failure.
    public var code: Code
    /// What went wrong, one line.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - path: the library's path.
    ///   - code: the kind of failure.
    ///   - message: what went wrong, one line.
    public init(path: String, code: Code, message: String) {
        self.path = path
        self.code = code
        self.message = message
    }

    /// `skill <path>: <message>`.
    public var description: String { "skill \(path): \(message)" }
}

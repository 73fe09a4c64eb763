import Foundation

/// A fresh folder under the system's temporary directory, removed with the value.
public final class TemporaryDirectory: Sendable {
    /// The folder's path.
    public let path: String

    /// The folder as a file URL.
    public var url: URL { URL(fileURLWithPath: path) }

    /// Creates an empty folder.
    /// - Parameter prefix: the start of the folder's name, to tell tests' leftovers apart.
    public init(prefix: String = "baton") throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the folder.
    /// - Parameter name: a file name (or relative path).
    public func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

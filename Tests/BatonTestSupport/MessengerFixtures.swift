import Foundation

/// The Messenger fixtures in `Tests/Fixtures/messenger`: webhook bodies and Graph requests.
public enum MessengerFixtures {
    /// The fixtures' folder.
    public static var folder: URL { TestPaths.messengerFixtures }

    /// Every fixture's file name, sorted.
    public static var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    /// One fixture's bytes.
    /// - Parameter name: the file name, e.g. `webhook-message-text.json`.
    public static func data(_ name: String) throws -> Data { try Data(contentsOf: folder.appendingPathComponent(name)) }

    /// One fixture parsed as a JSON object (empty when it is not one).
    /// - Parameter name: the file name.
    public static func json(_ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: data(name)) as? [String: Any] ?? [:]
    }
}

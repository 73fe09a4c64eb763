/// One key of the configuration file as the reader declares it. The reader, its unknown-key
/// check and the test that holds README's reference to it all read the same declarations.
public struct ConfigurationKey: Sendable, Equatable, CustomStringConvertible {
    /// The dotted path, list items as `[]`: `server.port`, `messenger.pages[].id`.
    public var path: String
    /// What the value is: `integer 0...65535`, `true or false`, `list of strings`...
    public var type: String
    /// The value when the key is absent, as YAML spells it; nil when the key is required
    /// or has no default.
    public var defaultValue: String?
    /// One line on what the key does.
    public var doc: String

    /// - Parameters:
    ///   - path: the dotted path.
    ///   - type: what the value is.
    ///   - defaultValue: the value when the key is absent.
    ///   - doc: one line on what the key does.
    public init(path: String, type: String, defaultValue: String?, doc: String) {
        (self.path, self.type, self.defaultValue, self.doc) = (path, type, defaultValue, doc)
    }

    /// `server.port (integer 0...65535, default 8080): the port to listen on`
    public var description: String {
        "\(path) (\(type)\(defaultValue.map { ", default \($0)" } ?? "")): \(doc)"
    }
}

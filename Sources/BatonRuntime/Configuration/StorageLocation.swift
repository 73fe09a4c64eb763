public import Foundation

/// Where Baton keeps its state: `storage.url`, parsed once.
public enum StorageLocation: Sendable, Hashable, CustomStringConvertible {
    /// `sqlite:PATH`: one SQLite file (made absolute against the configuration file's folder).
    case sqlite(path: String)
    /// `postgres://...`: reserved for the multi-instance backend (not in this build).
    case postgres(URL)

    /// Parses a storage URL.
    ///
    /// - Parameters:
    ///   - url: `sqlite:PATH` or `postgres://...` (`postgresql://` too).
    ///   - resolve: makes a relative SQLite path absolute.
    /// - Throws: a ``ConfigurationError`` for `storage.url` naming what is wrong.
    public init(parsing url: String, resolve: (String) -> String = { $0 }) throws(ConfigurationError) {
        if url.hasPrefix("sqlite:") {
            let path = String(url.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw ConfigurationError(key: "storage.url", "sqlite: needs a file path") }
            self = .sqlite(path: resolve(path))
            return
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            guard let parsed = URL(string: url) else { throw ConfigurationError(key: "storage.url", "is not a valid URL: '\(url)'") }
            self = .postgres(parsed)
            return
        }
        throw ConfigurationError(key: "storage.url", "must start with sqlite: or postgres://")
    }

    /// The SQLite file, for the `sqlite:` kind.
    public var sqlitePath: String? {
        if case .sqlite(let path) = self { return path }
        return nil
    }

    /// The location of one hosted app's own database, beside this one: `baton.sqlite` →
    /// `baton.billing.sqlite` (a PostgreSQL URL is kept: one database for every app there).
    public func scoped(to app: String) -> StorageLocation {
        guard case .sqlite(let path) = self else { return self }
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension
        let stem = url.deletingPathExtension().lastPathComponent
        let name = ext.isEmpty ? "\(stem).\(app)" : "\(stem).\(app).\(ext)"
        return .sqlite(path: url.deletingLastPathComponent().appendingPathComponent(name).path)
    }

    /// `sqlite` or `postgres`: what logs may say (a PostgreSQL URL may carry a password).
    public var kind: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgres"
        }
    }

    /// The URL as the configuration file spells it.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:" + path
        case .postgres(let url): url.absoluteString
        }
    }
}

import BatonCore
import Foundation
import Logging

extension ConfigType where Value == AppID {
    /// A numeric Facebook app id.
    static var appID: ConfigType {
        .scalar("numeric app id", show: { $0.rawValue.isEmpty ? nil : "\"\($0.rawValue)\"" }) { reader, raw, key throws(ConfigurationError) in
            let text = try reader.string(raw, key)
            guard !text.isEmpty, text.allSatisfy(\.isNumber) else { throw ConfigurationError(key: key, "must be a numeric app id") }
            return AppID(text)
        }
    }
}

extension ConfigType where Value == String {
    /// An http(s) URL with a host, kept without a trailing slash.
    static var httpURL: ConfigType {
        .scalar("http(s) URL") { reader, raw, key throws(ConfigurationError) in
            let url = try reader.string(raw, key)
            guard let parsed = URL(string: url), parsed.scheme == "http" || parsed.scheme == "https", parsed.host != nil else {
                throw ConfigurationError(key: key, "must be an http(s) URL, got '\(url)'")
            }
            return url.hasSuffix("/") ? String(url.dropLast()) : url
        }
    }
}

extension ConfigType where Value == String {
    /// A hosted app's name: lower-case letters, digits, `-` and `_` (it is a URL path component).
    static var appName: ConfigType {
        .scalar("app name ([a-z0-9_-]+)") { reader, raw, key throws(ConfigurationError) in
            let name = try reader.string(raw, key)
            let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_")
            guard !name.isEmpty, name.count <= 64, name.allSatisfy({ allowed.contains($0) }) else {
                throw ConfigurationError(key: key, "must be 1 to 64 of a-z, 0-9, - and _ (it names the webhook path), got '\(name)'")
            }
            guard name != "human", name != "back" else {
                throw ConfigurationError(key: key, "'\(name)' is reserved for escalate_to; choose another name")
            }
            return name
        }
    }
}

extension ConfigType where Value == Double {
    /// A number between 0 and 1 (a score or a threshold).
    static var fraction: ConfigType {
        .number("number 0...1") { (0...1).contains($0) ? nil : "must be between 0 and 1, got \($0)" }
    }
}

extension ConfigType where Value == StorageLocation {
    /// `sqlite:PATH` or `postgres://...`.
    static var storageLocation: ConfigType {
        .scalar("storage URL") { reader, raw, key throws(ConfigurationError) in
            try StorageLocation(parsing: try reader.string(raw, key), resolve: reader.resolve)
        }
    }
}

extension ConfigType where Value == Logger.Level {
    /// `trace`, `debug`, `info`, `notice`, `warning`, `error` or `critical`.
    static var logLevel: ConfigType {
        let names = Logger.Level.allCases.map(\.rawValue)
        return .scalar("one of \(names.joined(separator: ", "))", show: \.rawValue) { reader, raw, key throws(ConfigurationError) in
            guard let level = Logger.Level(rawValue: try reader.string(raw, key)) else {
                throw ConfigurationError(key: key, "must be one of \(names.joined(separator: ", "))")
            }
            return level
        }
    }
}

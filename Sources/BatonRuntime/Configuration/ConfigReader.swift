import Foundation

/// Reads YAML values with the key path at hand, so every error names its key:
/// `${NAME}` expansion, relative paths, and the scalar shapes the declarations build on.
struct ConfigReader {
    let environment: [String: String]
    /// The configuration file's folder: relative paths start there.
    let baseDirectory: String

    /// An absolute path: `path` itself, or `path` under ``baseDirectory``.
    func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: baseDirectory, isDirectory: true)).standardizedFileURL.path
    }

    func mapping(_ value: Any, _ key: String) throws(ConfigurationError) -> [String: Any] {
        guard let map = value as? [String: Any] else { throw ConfigurationError(key: key, "must be a mapping") }
        return map
    }

    func list(_ value: Any, _ key: String) throws(ConfigurationError) -> [Any] {
        guard let list = value as? [Any] else { throw ConfigurationError(key: key, "must be a list") }
        return list
    }

    func string(_ value: Any, _ key: String) throws(ConfigurationError) -> String {
        switch value {
        case let text as String: return try expand(text, key)
        case let number as Int: return String(number)
        case let number as Double: return String(number)
        case let flag as Bool: return String(flag)
        default: throw ConfigurationError(key: key, "must be a string")
        }
    }

    func int(_ value: Any, _ key: String) throws(ConfigurationError) -> Int {
        if let number = value as? Int { return number }
        if let text = value as? String, let number = Int(try expand(text, key)) { return number }
        throw ConfigurationError(key: key, "must be an integer")
    }

    func double(_ value: Any, _ key: String) throws(ConfigurationError) -> Double {
        var number: Double?
        if let value = value as? Double {
            number = value
        } else if let value = value as? Int {
            number = Double(value)
        } else if let text = value as? String {
            number = Double(try expand(text, key))
        }
        guard let number else { throw ConfigurationError(key: key, "must be a number") }
        guard number.isFinite else { throw ConfigurationError(key: key, "must be a finite number") }
        return number
    }

    func bool(_ value: Any, _ key: String) throws(ConfigurationError) -> Bool {
        if let flag = value as? Bool { return flag }
        throw ConfigurationError(key: key, "must be true or false")
    }

    /// A mapping with `${NAME}` expanded in every string, as compact JSON with sorted keys.
    func jsonObject(_ value: Any, _ key: String) throws(ConfigurationError) -> String {
        let substituted = try substitute(value, key)
        guard substituted is [String: Any], JSONSerialization.isValidJSONObject(substituted),
            let data = try? JSONSerialization.data(withJSONObject: substituted, options: [.sortedKeys])
        else {
            throw ConfigurationError(key: key, "must be a mapping")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Replaces `${NAME}` with the environment variable NAME; a missing one is an error.
    func expand(_ text: String, _ key: String) throws(ConfigurationError) -> String {
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw ConfigurationError(key: key, "has an unclosed ${")
            }
            let name = String(rest[start.upperBound..<end])
            guard let value = environment[name] else {
                throw ConfigurationError(key: key, "environment variable \(name) is not set")
            }
            result += value
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    /// Expands variables in every string of a free-form tree (a skill's `config`).
    private func substitute(_ value: Any, _ key: String) throws(ConfigurationError) -> Any {
        switch value {
        case let text as String: return try expand(text, key)
        case let map as [String: Any]:
            var out: [String: Any] = [:]
            for (name, item) in map { out[name] = try substitute(item, "\(key).\(name)") }
            return out
        case let list as [Any]:
            return try list.enumerated().map { index, item throws(ConfigurationError) in try substitute(item, "\(key)[\(index)]") }
        default: return value
        }
    }
}

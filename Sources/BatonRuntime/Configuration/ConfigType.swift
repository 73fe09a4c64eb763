import Foundation

/// What one key holds: how its YAML value becomes a checked Swift value, and how a value
/// (its default) is written back for the reference.
struct ConfigType<Value> {
    /// For the reference: `integer 0...65535`, `true or false`, `mapping`...
    let name: String
    /// Reads `raw` (never null) at `key` into `value`, which holds the default or what
    /// was read so far (a section fills in only the keys it finds).
    let read: (ConfigReader, Any, String, inout Value) throws(ConfigurationError) -> Void
    /// The value as the YAML file would spell it; nil for values a section groups.
    let show: (Value) -> String?
    /// The keys inside, for a section or a list of sections.
    var children: (Value) -> [ConfigurationKey] = { _ in [] }

    /// A scalar read whole by `parse`.
    static func scalar(
        _ name: String, show: @escaping (Value) -> String? = { "\($0)" },
        _ parse: @escaping (ConfigReader, Any, String) throws(ConfigurationError) -> Value
    ) -> ConfigType {
        ConfigType(name: name, read: { reader, raw, key, value throws(ConfigurationError) in value = try parse(reader, raw, key) }, show: show)
    }

    /// The same key, converted: `forward` after reading, `back` to show the default.
    func map<Other>(_ forward: @escaping (Value) -> Other, back: @escaping (Other) -> Value) -> ConfigType<Other> {
        let read = self.read
        let show = self.show
        return ConfigType<Other>(
            name: name,
            read: { reader, raw, key, other throws(ConfigurationError) in
                var value = back(other)
                try read(reader, raw, key, &value)
                other = forward(value)
            },
            show: { show(back($0)) })
    }

    /// The same key for an optional field (absent: nil).
    ///
    /// - Parameter placeholder: what reading starts from when the field is nil.
    func optional(placeholder: Value) -> ConfigType<Value?> {
        let show = self.show
        let children = self.children
        let read = map({ Optional($0) }, back: { $0 ?? placeholder }).read
        return ConfigType<Value?>(name: name, read: read, show: { $0.flatMap(show) }, children: { children($0 ?? placeholder) })
    }
}

extension ConfigType where Value == Int {
    /// An integer `check` accepts (it returns the problem, or nil).
    static func integer(_ name: String = "integer", _ check: @escaping (Int) -> String? = { _ in nil }) -> ConfigType {
        .scalar(name) { reader, raw, key throws(ConfigurationError) in
            let number = try reader.int(raw, key)
            if let problem = check(number) { throw ConfigurationError(key: key, problem) }
            return number
        }
    }

    /// An integer in `range`: "must be 1...3600000 (an hour), got 0".
    static func integer(in range: ClosedRange<Int>, _ note: String? = nil) -> ConfigType {
        let bounds = "\(range.lowerBound)...\(range.upperBound)" + (note.map { " (\($0))" } ?? "")
        return integer("integer \(bounds)") { range.contains($0) ? nil : "must be \(bounds), got \($0)" }
    }

    /// An integer at least `minimum`: "must be at least 1".
    static func integer(atLeast minimum: Int) -> ConfigType {
        integer("integer >= \(minimum)") { $0 >= minimum ? nil : "must be at least \(minimum)" }
    }
}

extension ConfigType where Value == Double {
    /// A finite number `check` accepts (it returns the problem, or nil).
    static func number(_ name: String = "number", _ check: @escaping (Double) -> String? = { _ in nil }) -> ConfigType {
        .scalar(name, show: { $0.rounded() == $0 && abs($0) < 1e15 ? String(Int($0)) : "\($0)" }) { reader, raw, key throws(ConfigurationError) in
            let number = try reader.double(raw, key)
            if let problem = check(number) { throw ConfigurationError(key: key, problem) }
            return number
        }
    }

    /// Seconds, positive and at most a day.
    static var seconds: ConfigType {
        number("seconds, > 0, <= 86400") { seconds in
            if seconds <= 0 { return "must be positive" }
            return seconds <= 86_400 ? nil : "must be at most 86400 (a day), got \(seconds)"
        }
    }
}

extension ConfigType where Value == String {
    /// Any string (numbers and flags read as their text).
    static var text: ConfigType { .scalar("string") { reader, raw, key throws(ConfigurationError) in try reader.string(raw, key) } }

    /// A path, made absolute against the configuration file's folder.
    static var path: ConfigType {
        .scalar("path") { reader, raw, key throws(ConfigurationError) in reader.resolve(try reader.string(raw, key)) }
    }

    /// A free-form mapping, kept as JSON (`${NAME}` expanded in its strings).
    static var jsonObject: ConfigType {
        .scalar("mapping", show: { $0 == "{}" ? "{}" : $0 }) { reader, raw, key throws(ConfigurationError) in
            try reader.jsonObject(raw, key)
        }
    }
}

extension ConfigType where Value == Bool {
    static var flag: ConfigType { .scalar("true or false") { reader, raw, key throws(ConfigurationError) in try reader.bool(raw, key) } }
}

extension ConfigType where Value == [String] {
    /// A list of non-empty words.
    static var words: ConfigType {
        .scalar("list of strings", show: { "[" + $0.joined(separator: ", ") + "]" }) { reader, raw, key throws(ConfigurationError) in
            try reader.list(raw, key).enumerated().map { index, word throws(ConfigurationError) in
                let text = word is NSNull ? "" : try reader.string(word, "\(key)[\(index)]")
                guard !text.isEmpty else { throw ConfigurationError(key: "\(key)[\(index)]", "must be a non-empty string") }
                return text
            }
        }
    }
}

import Foundation

/// One key of a section, declared once: its name, type, default (what the section's
/// template holds), one line of documentation, and where its value goes.
struct ConfigKey<Target> {
    let name: String
    let doc: String
    let required: Bool
    /// Reads the value at `key` into `target`.
    let apply: (ConfigReader, Any, String, inout Target) throws(ConfigurationError) -> Void
    /// The reference entries of this key (and of the keys inside it), under `prefix`.
    let reference: (_ prefix: String, _ template: Target) -> [ConfigurationKey]

    /// - Parameters:
    ///   - name: the YAML key.
    ///   - field: where the value goes.
    ///   - type: how it is read and checked.
    ///   - required: an absent, null or empty value is an error ("is required").
    ///   - doc: one line for the reference.
    init<Value>(
        _ name: String, _ field: WritableKeyPath<Target, Value>, _ type: ConfigType<Value>, required: Bool = false, doc: String
    ) {
        self.name = name
        self.doc = doc
        self.required = required
        self.apply = { reader, raw, key, target throws(ConfigurationError) in try type.read(reader, raw, key, &target[keyPath: field]) }
        self.reference = { prefix, template in
            let value = template[keyPath: field]
            let children = type.children(value)
            let path = prefix.isEmpty ? name : "\(prefix).\(name)"
            guard children.isEmpty else {
                return children.map { child in
                    var child = child
                    child.path = child.path.hasPrefix("[]") ? path + child.path : "\(path).\(child.path)"
                    return child
                }
            }
            return [ConfigurationKey(path: path, type: type.name, defaultValue: required ? nil : type.show(value), doc: doc)]
        }
    }
}

extension ConfigKey {
    /// The same key read into the part of a larger value at `root` (an `apps:` entry reuses
    /// the keys of `messenger:` this way).
    func rooted<Root>(at root: WritableKeyPath<Root, Target>) -> ConfigKey<Root> {
        let apply = self.apply
        let reference = self.reference
        return ConfigKey<Root>(
            name: name, doc: doc, required: required,
            apply: { reader, raw, key, target throws(ConfigurationError) in try apply(reader, raw, key, &target[keyPath: root]) },
            reference: { prefix, template in reference(prefix, template[keyPath: root]) })
    }

    init(
        name: String, doc: String, required: Bool,
        apply: @escaping (ConfigReader, Any, String, inout Target) throws(ConfigurationError) -> Void,
        reference: @escaping (String, Target) -> [ConfigurationKey]
    ) {
        (self.name, self.doc, self.required, self.apply, self.reference) = (name, doc, required, apply, reference)
    }
}

/// A mapping of the configuration file: its keys, declared once, read in their order;
/// any other key is an error naming it and its section.
struct ConfigSection<Target> {
    let keys: [ConfigKey<Target>]
    /// What an unknown key is called in the error (`key`; `section` at the top level).
    var noun = "key"
    /// Checks that span keys, once the section is read (`key` is the section's path).
    var finish: (inout Target, String) throws(ConfigurationError) -> Void = { _, _ in }

    /// Reads `map` (the section at `path`, "" for the top level) into `target`.
    func read(_ map: [String: Any], at path: String, into target: inout Target, with reader: ConfigReader)
        throws(ConfigurationError)
    {
        let names = keys.map(\.name)
        for name in map.keys.sorted() where !names.contains(name) {
            throw ConfigurationError(
                key: path.isEmpty ? name : "\(path).\(name)", "unknown \(noun) (expected one of \(names.joined(separator: ", ")))")
        }
        for key in keys {
            let keyPath = path.isEmpty ? key.name : "\(path).\(key.name)"
            guard let raw = map[key.name], !(raw is NSNull) else {
                if key.required { throw ConfigurationError(key: keyPath, "is required") }
                continue
            }
            if key.required, !(raw is [String: Any]), !(raw is [Any]), try reader.string(raw, keyPath).isEmpty {
                throw ConfigurationError(key: keyPath, "is required")
            }
            try key.apply(reader, raw, keyPath, &target)
        }
        try finish(&target, path)
    }

    /// Every key inside, with `template`'s values as the defaults.
    func reference(_ template: Target) -> [ConfigurationKey] {
        keys.flatMap { $0.reference("", template) }
    }
}

extension ConfigType {
    /// A mapping read by `section` into the value already there.
    static func section(_ section: ConfigSection<Value>) -> ConfigType {
        ConfigType(
            name: "mapping",
            read: { reader, raw, key, value throws(ConfigurationError) in
                try section.read(try reader.mapping(raw, key), at: key, into: &value, with: reader)
            },
            show: { _ in nil }, children: { section.reference($0) })
    }

    /// A mapping that may be absent (nil); when present it is read by `section` over `template`.
    static func optionalSection<Wrapped>(_ section: ConfigSection<Wrapped>, template: Wrapped) -> ConfigType where Value == Wrapped? {
        ConfigType(
            name: "mapping",
            read: { reader, raw, key, value throws(ConfigurationError) in
                var wrapped = value ?? template
                try section.read(try reader.mapping(raw, key), at: key, into: &wrapped, with: reader)
                value = wrapped
            },
            show: { _ in nil }, children: { section.reference($0 ?? template) })
    }

    /// A list of mappings, each read by `section` from `template`.
    ///
    /// - Parameter shape: the problem when an item is not a mapping.
    static func list<Item>(of section: ConfigSection<Item>, template: Item, shape: String) -> ConfigType where Value == [Item] {
        ConfigType(
            name: "list",
            read: { reader, raw, key, value throws(ConfigurationError) in
                value = try reader.list(raw, key).enumerated().map { index, item throws(ConfigurationError) in
                    let itemKey = "\(key)[\(index)]"
                    guard let map = item as? [String: Any] else { throw ConfigurationError(key: itemKey, shape) }
                    var element = template
                    try section.read(map, at: itemKey, into: &element, with: reader)
                    return element
                }
            },
            show: { _ in nil },
            children: { _ in section.reference(template).map { child in
                var child = child
                child.path = "[]." + child.path
                return child
            } })
    }
}

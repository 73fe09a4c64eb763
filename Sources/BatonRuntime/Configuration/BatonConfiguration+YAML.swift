import BatonCore
import Foundation
import Yams

extension BatonConfiguration {
    /// Reads and checks a configuration file. `${NAME}` is replaced by the environment
    /// variable NAME; relative paths are relative to the file's folder.
    ///
    /// - Parameters:
    ///   - path: the YAML file.
    ///   - environment: the variables `${NAME}` may name.
    /// - Throws: one ``ConfigurationError`` naming the key and what is wrong with it.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigurationError) -> BatonConfiguration
    {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigurationError(key: "<file>", "cannot read \(path): \(error.localizedDescription)")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(yaml: text, baseDirectory: folder, environment: environment)
    }

    /// Parses configuration text (see ``load(path:environment:)``).
    ///
    /// - Parameters:
    ///   - yaml: the file's text.
    ///   - baseDirectory: where relative paths start.
    ///   - environment: the variables `${NAME}` may name.
    public static func parse(yaml: String, baseDirectory: String, environment: [String: String]) throws(ConfigurationError)
        -> BatonConfiguration
    {
        let root: Any?
        do { root = try Yams.load(yaml: yaml) } catch {
            throw ConfigurationError(key: "<file>", "not valid YAML: \(String(describing: error).split(separator: "\n").first ?? "")")
        }
        guard let top = root as? [String: Any] else {
            throw ConfigurationError(key: "<file>", "expected a mapping with server, messenger, handover, storage and skills")
        }
        let reader = ConfigReader(environment: environment, baseDirectory: baseDirectory)
        var configuration = ConfigSchema.template
        try ConfigSchema.file.read(top, at: "", into: &configuration, with: reader)
        if case .sqlite(let path) = configuration.storage.location {
            configuration.storage.location = .sqlite(path: reader.resolve(path))
        }
        return configuration
    }

    /// Every key the reader knows, in file order, with its type, default and one line of
    /// documentation. README's configuration reference lists the same keys (a test holds it to that).
    public static var keys: [ConfigurationKey] { ConfigSchema.file.reference(ConfigSchema.template) }
}

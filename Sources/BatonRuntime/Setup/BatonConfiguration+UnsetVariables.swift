import Foundation

extension BatonConfiguration {
    /// Loads a configuration file the way ``load(path:environment:)`` does, except that an
    /// environment variable the file names but nobody set yet gets a stand-in value (a small
    /// number) instead of failing: `baton pages add` and `baton pages list` check and read the
    /// file's shape before the operator has exported every token.
    ///
    /// Values read this way stand in for secrets the caller must not use: only names, ids and
    /// the file's structure are meaningful.
    ///
    /// - Parameters:
    ///   - path: the YAML file.
    ///   - environment: the variables that are set.
    /// - Returns: the configuration and the names of the variables that were not set.
    /// - Throws: the first ``ConfigurationError`` that is not an unset variable.
    public static func loadAllowingUnsetVariables(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> (configuration: BatonConfiguration, unset: [String]) {
        var environment = environment
        var unset: [String] = []
        while true {
            do {
                return (try load(path: path, environment: environment), unset)
            } catch {
                let prefix = "environment variable "
                let suffix = " is not set"
                guard unset.count < 256 else { throw error }
                if error.problem.hasPrefix(prefix), error.problem.hasSuffix(suffix) {
                    let name = String(error.problem.dropFirst(prefix.count).dropLast(suffix.count))
                    guard environment[name] == nil else { throw error }
                    unset.append(name)
                    // A number reads as text, an app id and a port alike; each one differs from the others.
                    environment[name] = String(100 + unset.count)
                } else if let name = unset.first(where: { name in
                    let value = environment[name] ?? ""
                    return !value.hasPrefix("http") && error.problem.hasSuffix("got '\(value)'")
                }) {
                    // The stand-in was refused where a URL belongs.
                    environment[name] = "http://unset-\(unset.count).invalid"
                } else {
                    throw error
                }
            }
        }
    }
}

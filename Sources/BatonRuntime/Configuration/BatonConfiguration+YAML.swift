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
    public static func parse(yaml: String, baseDirectory: String, environment: [String: String]) throws(ConfigurationError)
        -> BatonConfiguration
    {
        let root: Any?
        do { root = try Yams.load(yaml: yaml) } catch {
            throw ConfigurationError(key: "<file>", "not valid YAML: \(String(describing: error).split(separator: "\n").first ?? "")")
        }
        let reader = ConfigReader(environment: environment, baseDirectory: baseDirectory)
        guard let top = root as? [String: Any] else {
            throw ConfigurationError(key: "<file>", "expected a mapping with server, messenger, handover, storage and skills")
        }
        return try reader.configuration(top)
    }
}

/// Walks the YAML tree with the key path at hand, so every error names its key.
private struct ConfigReader {
    let environment: [String: String]
    let baseDirectory: String

    func configuration(_ top: [String: Any]) throws(ConfigurationError) -> BatonConfiguration {
        let known = ["server", "messenger", "handover", "storage", "outbox", "skills", "logging", "simulator"]
        for key in top.keys where !known.contains(key) {
            throw ConfigurationError(key: key, "unknown section (expected one of \(known.joined(separator: ", ")))")
        }
        guard let messengerMap = try mapping(top["messenger"], "messenger") else {
            throw ConfigurationError(key: "messenger", "is required")
        }
        try rejectUnknown(
            messengerMap, "messenger", ["app_id", "app_secret", "verify_token", "graph_api_url", "graph_timeout_seconds", "pages"])
        let appID = try requiredString(messengerMap, "messenger", "app_id")
        guard appID.allSatisfy(\.isNumber) else { throw ConfigurationError(key: "messenger.app_id", "must be a numeric app id") }
        let secret = try requiredString(messengerMap, "messenger", "app_secret")
        let verifyToken = try requiredString(messengerMap, "messenger", "verify_token")
        var messenger = BatonConfiguration.Messenger(appID: AppID(appID), appSecret: secret, verifyToken: verifyToken)
        if let url = try string(messengerMap["graph_api_url"], "messenger.graph_api_url") {
            guard let parsed = URL(string: url), parsed.scheme == "http" || parsed.scheme == "https", parsed.host != nil else {
                throw ConfigurationError(key: "messenger.graph_api_url", "must be an http(s) URL, got '\(url)'")
            }
            messenger.graphAPIURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        }
        if let seconds = try double(messengerMap["graph_timeout_seconds"], "messenger.graph_timeout_seconds") {
            guard (0.05...600).contains(seconds) else {
                throw ConfigurationError(key: "messenger.graph_timeout_seconds", "must be 0.05...600, got \(seconds)")
            }
            messenger.graphTimeoutSeconds = seconds
        }
        let pages = try list(messengerMap["pages"], "messenger.pages") ?? []
        guard !pages.isEmpty else { throw ConfigurationError(key: "messenger.pages", "must list at least one page") }
        for (index, item) in pages.enumerated() {
            let key = "messenger.pages[\(index)]"
            guard let page = item as? [String: Any] else { throw ConfigurationError(key: key, "must be a mapping with id, name and access_token") }
            try rejectUnknown(page, key, ["id", "name", "access_token", "default_app"])
            let id = try requiredString(page, key, "id")
            let token = try requiredString(page, key, "access_token")
            let name = try string(page["name"], "\(key).name") ?? id
            let defaultApp = try bool(page["default_app"], "\(key).default_app") ?? true
            if messenger.pages.contains(where: { $0.id.rawValue == id }) {
                throw ConfigurationError(key: "\(key).id", "page \(id) is listed twice")
            }
            messenger.pages.append(.init(id: PageID(id), name: name, accessToken: token, defaultApp: defaultApp))
        }

        var configuration = BatonConfiguration(messenger: messenger)
        if let server = try mapping(top["server"], "server") {
            try rejectUnknown(
                server, "server",
                [
                    "host", "port", "max_body_bytes", "shutdown_grace_seconds", "skill_threads", "max_connections",
                    "idle_timeout_seconds", "body_timeout_seconds", "sweep_interval_seconds",
                ])
            if let host = try string(server["host"], "server.host") { configuration.server.host = host }
            if let port = try int(server["port"], "server.port") {
                guard (0...65535).contains(port) else { throw ConfigurationError(key: "server.port", "must be 0...65535, got \(port)") }
                configuration.server.port = port
            }
            if let limit = try int(server["max_body_bytes"], "server.max_body_bytes") {
                guard limit >= 1024 else { throw ConfigurationError(key: "server.max_body_bytes", "must be at least 1024") }
                configuration.server.maxBodyBytes = limit
            }
            if let grace = try double(server["shutdown_grace_seconds"], "server.shutdown_grace_seconds") {
                guard grace <= 86_400 else {
                    throw ConfigurationError(key: "server.shutdown_grace_seconds", "must be at most 86400 (a day), got \(grace)")
                }
                configuration.server.shutdownGraceSeconds = max(0, grace)
            }
            if let threads = try int(server["skill_threads"], "server.skill_threads") {
                guard (1...1024).contains(threads) else {
                    throw ConfigurationError(key: "server.skill_threads", "must be 1...1024, got \(threads)")
                }
                configuration.server.skillThreads = threads
            }
            if let limit = try int(server["max_connections"], "server.max_connections") {
                guard limit >= 1 else { throw ConfigurationError(key: "server.max_connections", "must be at least 1") }
                configuration.server.maxConnections = limit
            }
            for (key, path) in [
                ("idle_timeout_seconds", \BatonConfiguration.Server.idleTimeoutSeconds), ("body_timeout_seconds", \.bodyTimeoutSeconds),
                ("sweep_interval_seconds", \.sweepIntervalSeconds),
            ] {
                if let seconds = try double(server[key], "server.\(key)") {
                    guard seconds > 0 else { throw ConfigurationError(key: "server.\(key)", "must be positive") }
                    guard seconds <= 86_400 else {
                        throw ConfigurationError(key: "server.\(key)", "must be at most 86400 (a day), got \(seconds)")
                    }
                    configuration.server[keyPath: path] = seconds
                }
            }
        }
        if let handover = try mapping(top["handover"], "handover") {
            try rejectUnknown(
                handover, "handover",
                [
                    "agent_app_id", "escalation_threshold", "max_fallbacks", "take_back_keywords",
                    "grant_control_requests", "handover_message", "fallback_message", "release_when_done",
                    "done_keywords", "extend_control_seconds",
                ])
            var settings = configuration.handover
            if let agent = try string(handover["agent_app_id"], "handover.agent_app_id") {
                guard !agent.isEmpty, agent.allSatisfy(\.isNumber) else {
                    throw ConfigurationError(key: "handover.agent_app_id", "must be a numeric app id")
                }
                guard agent != appID else {
                    throw ConfigurationError(key: "handover.agent_app_id", "must differ from messenger.app_id")
                }
                settings.agentAppID = AppID(agent)
            }
            if let threshold = try double(handover["escalation_threshold"], "handover.escalation_threshold") {
                guard (0...1).contains(threshold) else {
                    throw ConfigurationError(key: "handover.escalation_threshold", "must be between 0 and 1, got \(threshold)")
                }
                settings.escalationThreshold = threshold
            }
            if let fallbacks = try int(handover["max_fallbacks"], "handover.max_fallbacks") {
                guard fallbacks >= 1 else { throw ConfigurationError(key: "handover.max_fallbacks", "must be at least 1") }
                settings.maxFallbacks = fallbacks
            }
            if let words = try list(handover["take_back_keywords"], "handover.take_back_keywords") {
                settings.takeBackKeywords = try words.enumerated().map { index, word throws(ConfigurationError) in
                    guard let word = try string(word, "handover.take_back_keywords[\(index)]"), !word.isEmpty else {
                        throw ConfigurationError(key: "handover.take_back_keywords[\(index)]", "must be a non-empty string")
                    }
                    return word
                }
            }
            if let grant = try bool(handover["grant_control_requests"], "handover.grant_control_requests") {
                settings.grantControlRequests = grant
            }
            if let release = try bool(handover["release_when_done"], "handover.release_when_done") {
                settings.releaseWhenDone = release
            }
            if let words = try list(handover["done_keywords"], "handover.done_keywords") {
                settings.doneKeywords = try words.enumerated().map { index, word throws(ConfigurationError) in
                    guard let word = try string(word, "handover.done_keywords[\(index)]"), !word.isEmpty else {
                        throw ConfigurationError(key: "handover.done_keywords[\(index)]", "must be a non-empty string")
                    }
                    return word
                }
            }
            if let seconds = try int(handover["extend_control_seconds"], "handover.extend_control_seconds") {
                guard (0...Int(HandoverSettings.maxExtendControlSeconds)).contains(seconds) else {
                    throw ConfigurationError(key: "handover.extend_control_seconds", "must be 0...604800 (7 days), got \(seconds)")
                }
                settings.extendControlSeconds = Int64(seconds)
            }
            if let text = try string(handover["handover_message"], "handover.handover_message") { settings.handoverMessage = text }
            if let text = try string(handover["fallback_message"], "handover.fallback_message") { settings.fallbackMessage = text }
            configuration.handover = settings
        }
        if let storage = try mapping(top["storage"], "storage") {
            try rejectUnknown(storage, "storage", ["url"])
            if let url = try string(storage["url"], "storage.url") {
                configuration.storage.url = try storageURL(url)
            }
        } else {
            configuration.storage.url = try storageURL(configuration.storage.url)
        }
        if let outbox = try mapping(top["outbox"], "outbox") {
            try rejectUnknown(outbox, "outbox", ["max_attempts", "retry_base_ms", "retry_max_ms", "max_age_seconds"])
            if let age = try int(outbox["max_age_seconds"], "outbox.max_age_seconds") {
                guard (1...31_536_000).contains(age) else {
                    throw ConfigurationError(key: "outbox.max_age_seconds", "must be 1...31536000 (a year), got \(age)")
                }
                configuration.outboxMaxAgeSeconds = Int64(age)
            }
            var retry = configuration.retry
            if let attempts = try int(outbox["max_attempts"], "outbox.max_attempts") {
                guard attempts >= 1 else { throw ConfigurationError(key: "outbox.max_attempts", "must be at least 1") }
                retry.maxAttempts = attempts
            }
            if let base = try int(outbox["retry_base_ms"], "outbox.retry_base_ms") {
                guard (1...3_600_000).contains(base) else {
                    throw ConfigurationError(key: "outbox.retry_base_ms", "must be 1...3600000 (an hour), got \(base)")
                }
                retry.baseDelay = .milliseconds(base)
            }
            if let ceiling = try int(outbox["retry_max_ms"], "outbox.retry_max_ms") {
                guard (1...3_600_000).contains(ceiling) else {
                    throw ConfigurationError(key: "outbox.retry_max_ms", "must be 1...3600000 (an hour), got \(ceiling)")
                }
                retry.maxDelay = .milliseconds(ceiling)
            }
            guard retry.maxDelay >= retry.baseDelay else {
                throw ConfigurationError(key: "outbox.retry_max_ms", "must not be below outbox.retry_base_ms")
            }
            configuration.retry = retry
        }
        for (index, item) in (try list(top["skills"], "skills") ?? []).enumerated() {
            let key = "skills[\(index)]"
            guard let skill = item as? [String: Any] else { throw ConfigurationError(key: key, "must be a mapping with path and config") }
            try rejectUnknown(skill, key, ["path", "config", "timeout_ms"])
            let path = resolve(try requiredString(skill, key, "path"))
            var configJSON = "{}"
            if let config = skill["config"], !(config is NSNull) {
                let substituted = try substitute(config, "\(key).config")
                guard substituted is [String: Any], JSONSerialization.isValidJSONObject(substituted),
                    let data = try? JSONSerialization.data(withJSONObject: substituted, options: [.sortedKeys])
                else {
                    throw ConfigurationError(key: "\(key).config", "must be a mapping")
                }
                configJSON = String(decoding: data, as: UTF8.self)
            }
            let timeout = try int(skill["timeout_ms"], "\(key).timeout_ms") ?? 2000
            guard (1...3_600_000).contains(timeout) else {
                throw ConfigurationError(key: "\(key).timeout_ms", "must be 1...3600000 (an hour), got \(timeout)")
            }
            configuration.skills.append(.init(path: path, configJSON: configJSON, timeoutMilliseconds: timeout))
        }
        if let logging = try mapping(top["logging"], "logging"), let level = try string(logging["level"], "logging.level") {
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            guard levels.contains(level) else {
                throw ConfigurationError(key: "logging.level", "must be one of \(levels.joined(separator: ", "))")
            }
            configuration.logLevel = level
        }
        return configuration
    }

    // MARK: - Typed readers

    private func storageURL(_ url: String) throws(ConfigurationError) -> String {
        if url.hasPrefix("sqlite:") {
            let path = String(url.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw ConfigurationError(key: "storage.url", "sqlite: needs a file path") }
            return "sqlite:" + resolve(path)
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") { return url }
        throw ConfigurationError(key: "storage.url", "must start with sqlite: or postgres://")
    }

    private func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: baseDirectory, isDirectory: true)).standardizedFileURL.path
    }

    private func rejectUnknown(_ map: [String: Any], _ key: String, _ known: [String]) throws(ConfigurationError) {
        for name in map.keys.sorted() where !known.contains(name) {
            throw ConfigurationError(key: "\(key).\(name)", "unknown key (expected one of \(known.joined(separator: ", ")))")
        }
    }

    private func mapping(_ value: Any?, _ key: String) throws(ConfigurationError) -> [String: Any]? {
        guard let value, !(value is NSNull) else { return nil }
        guard let map = value as? [String: Any] else { throw ConfigurationError(key: key, "must be a mapping") }
        return map
    }

    private func list(_ value: Any?, _ key: String) throws(ConfigurationError) -> [Any]? {
        guard let value, !(value is NSNull) else { return nil }
        guard let list = value as? [Any] else { throw ConfigurationError(key: key, "must be a list") }
        return list
    }

    private func requiredString(_ map: [String: Any], _ parent: String, _ name: String) throws(ConfigurationError) -> String {
        guard let value = try string(map[name], "\(parent).\(name)"), !value.isEmpty else {
            throw ConfigurationError(key: "\(parent).\(name)", "is required")
        }
        return value
    }

    func string(_ value: Any?, _ key: String) throws(ConfigurationError) -> String? {
        guard let value, !(value is NSNull) else { return nil }
        switch value {
        case let text as String: return try expand(text, key)
        case let number as Int: return String(number)
        case let number as Double: return String(number)
        case let flag as Bool: return String(flag)
        default: throw ConfigurationError(key: key, "must be a string")
        }
    }

    private func int(_ value: Any?, _ key: String) throws(ConfigurationError) -> Int? {
        guard let value, !(value is NSNull) else { return nil }
        if let number = value as? Int { return number }
        if let text = value as? String, let number = Int(try expand(text, key)) { return number }
        throw ConfigurationError(key: key, "must be an integer")
    }

    private func double(_ value: Any?, _ key: String) throws(ConfigurationError) -> Double? {
        guard let value, !(value is NSNull) else { return nil }
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

    private func bool(_ value: Any?, _ key: String) throws(ConfigurationError) -> Bool? {
        guard let value, !(value is NSNull) else { return nil }
        if let flag = value as? Bool { return flag }
        throw ConfigurationError(key: key, "must be true or false")
    }

    /// Replaces `${NAME}` with the environment variable NAME; a missing one is an error.
    private func expand(_ text: String, _ key: String) throws(ConfigurationError) -> String {
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

    /// Expands variables in every string of a skill's config tree.
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

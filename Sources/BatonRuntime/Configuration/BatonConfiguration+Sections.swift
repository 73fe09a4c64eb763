import BatonCore
import Foundation
import Logging

/// The configuration file, one declaration per key: the reader, its unknown-key checks and
/// the reference (``BatonConfiguration/keys``) all come from these lists.
enum ConfigSchema {
    /// The whole file: its sections, `messenger` first.
    static var file: ConfigSection<BatonConfiguration> {
        ConfigSection(
            keys: [
                .init("messenger", \.messenger, .section(messenger), doc: "this app and its Pages (or `apps:` for several)"),
                .init("server", \.server, .section(server), doc: "the HTTP server"),
                .init("handover", \.handover, .section(handover), doc: "when control passes to a human and back"),
                .init("storage", \.storage, .section(storage), doc: "where state is kept"),
                .init("outbox", \.self, .section(outbox), doc: "how Graph calls are retried"),
                .init("skills", \.skills, skillList, doc: "the skills, in the order responders are asked"),
                .init("logging", \.self, .section(logging), doc: "what is logged"),
                .init("simulator", \.simulator, .section(simulator), doc: "read by `baton simulate` only"),
                .init("graph_api_url", \.graphAPIURL, ConfigType.httpURL.optional(placeholder: ""), doc: "the Graph API of every app that names none"),
                .init(
                    "apps", \.appEntries,
                    .list(of: app, template: HostedApp.Entry(), shape: "must be a mapping with name, app_id, app_secret, verify_token and pages"),
                    doc: "several apps on the same Pages (replaces `messenger:`)"),
            ],
            noun: "section",
            finish: { configuration, _ throws(ConfigurationError) in try HostedAppResolution.resolve(&configuration) })
    }

    /// The template the reader starts from: every default, placeholders for required keys.
    static var template: BatonConfiguration {
        BatonConfiguration(messenger: .init(appID: "", appSecret: "", verifyToken: ""))
    }

    static var server: ConfigSection<BatonConfiguration.Server> {
        ConfigSection(keys: [
            .init("host", \.host, .text, doc: "the address to listen on"),
            .init("port", \.port, .integer(in: 0...65535), doc: "the port to listen on (0: any free port)"),
            .init("max_body_bytes", \.maxBodyBytes, .integer(atLeast: 1024), doc: "larger webhook bodies get 413"),
            .init(
                "shutdown_grace_seconds", \.shutdownGraceSeconds,
                ConfigType.number("seconds, <= 86400") { $0 <= 86_400 ? nil : "must be at most 86400 (a day), got \($0)" }
                    .map({ max(0, $0) }, back: { $0 }),
                doc: "how long SIGTERM waits for in-flight work"),
            .init("skill_threads", \.skillThreads, .integer(in: 1...1024), doc: "the skill-call pool"),
            .init("max_connections", \.maxConnections, .integer(atLeast: 1), doc: "open connections at most"),
            .init("idle_timeout_seconds", \.idleTimeoutSeconds, .seconds, doc: "a connection with nothing read for this long is closed"),
            .init("body_timeout_seconds", \.bodyTimeoutSeconds, .seconds, doc: "a request body slower than this gets 408"),
            .init("sweep_interval_seconds", \.sweepIntervalSeconds, .seconds, doc: "how often storage is swept for unfinished work"),
            .init(
                "public_url", \.publicURL, ConfigType.httpURL.optional(placeholder: ""),
                doc: "where Meta reaches this server: webhook URLs start here (baton pages add, baton doctor)"),
        ])
    }

    static var messenger: ConfigSection<BatonConfiguration.Messenger> {
        ConfigSection(
            keys: [
                .init("app_id", \.appID, .appID, required: true, doc: "this runtime's Facebook app"),
                .init("app_secret", \.appSecret, .text, required: true, doc: "signs webhooks and appsecret_proof"),
                .init("verify_token", \.verifyToken, .text, required: true, doc: "the webhook verification token"),
                .init("graph_api_url", \.graphAPIURL, .httpURL, doc: "the Graph API (a simulator's URL in tests)"),
                .init(
                    "graph_timeout_seconds", \.graphTimeoutSeconds,
                    .number("seconds, 0.05...600") { (0.05...600).contains($0) ? nil : "must be 0.05...600, got \($0)" },
                    doc: "a Graph call past this counts as lost"),
                .init(
                    "pages", \.pages,
                    .list(
                        of: page, template: .init(id: "", name: "", accessToken: ""),
                        shape: "must be a mapping with id, name and access_token"),
                    doc: "the Pages this runtime serves"),
            ],
            finish: { messenger, key throws(ConfigurationError) in
                guard !messenger.pages.isEmpty else { throw ConfigurationError(key: "\(key).pages", "must list at least one page") }
                for (index, page) in messenger.pages.enumerated() where messenger.pages[..<index].contains(where: { $0.id == page.id }) {
                    throw ConfigurationError(key: "\(key).pages[\(index)].id", "page \(page.id) is listed twice")
                }
            })
    }

    static var page: ConfigSection<BatonConfiguration.Page> {
        ConfigSection(
            keys: [
                .init("id", \.id, ConfigType.text.map({ PageID($0) }, back: \.rawValue), required: true, doc: "the Page's id"),
                .init("name", \.name, .text, doc: "for logs and the simulator (default: the id)"),
                .init("access_token", \.accessToken, .text, required: true, doc: "the Page access token"),
                .init("default_app", \.defaultApp, .flag, doc: "whether this app is the Page's Conversation Routing default app"),
            ],
            finish: { page, _ throws(ConfigurationError) in
                if page.name.isEmpty { page.name = page.id.rawValue }
            })
    }

    static var handover: ConfigSection<HandoverSettings> {
        ConfigSection(keys: [
                .init("agent_app_id", \.agentAppID, .appID, doc: "where escalations go (the Page Inbox by default)"),
                .init("escalation_threshold", \.escalationThreshold, .fraction, doc: "a detector score at or above this passes control"),
                .init("max_fallbacks", \.maxFallbacks, .integer(atLeast: 1), doc: "unanswered messages in a row before escalating"),
                .init("take_back_keywords", \.takeBackKeywords, .words, doc: "user words on standby that make the bot take control back"),
                .init("grant_control_requests", \.grantControlRequests, .flag, doc: "pass control when another app requests it"),
                .init("release_when_done", \.releaseWhenDone, .flag, doc: "release control after answering a \"done\" message"),
                .init("done_keywords", \.doneKeywords, .words, doc: "user words that end a conversation"),
                .init(
                    "extend_control_seconds", \.extendControlSeconds,
                    ConfigType.integer(in: 0...Int(HandoverSettings.maxExtendControlSeconds), "7 days").map({ Int64($0) }, back: { Int($0) }),
                    doc: "> 0: extend_thread_control to this long whenever the bot answers"),
                .init("handover_message", \.handoverMessage, .text, doc: "sent to the user just before control passes to a human"),
                .init("fallback_message", \.fallbackMessage, .text, doc: "sent when no responder answers"),
        ])
    }

    static var storage: ConfigSection<BatonConfiguration.Storage> {
        ConfigSection(keys: [.init("url", \.location, .storageLocation, doc: "sqlite:PATH (postgres:// is reserved)")])
    }

    static var outbox: ConfigSection<BatonConfiguration> {
        let milliseconds = ConfigType.integer(in: 1...3_600_000, "an hour")
            .map({ Duration.milliseconds($0) }, back: { Int($0 / .milliseconds(1)) })
        return ConfigSection(
            keys: [
                .init("max_attempts", \.retry.maxAttempts, .integer(atLeast: 1), doc: "tries of a Graph call that fails transiently"),
                .init("retry_base_ms", \.retry.baseDelay, milliseconds, doc: "back-off: base * 2^(attempt-1), full jitter"),
                .init("retry_max_ms", \.retry.maxDelay, milliseconds, doc: "ceiling of one wait"),
                .init(
                    "max_age_seconds", \.outboxMaxAgeSeconds,
                    ConfigType.integer(in: 1...31_536_000, "a year").map({ Int64($0) }, back: { Int($0) }),
                    doc: "a planned Graph call older than this is a dead letter"),
            ],
            finish: { configuration, key throws(ConfigurationError) in
                guard configuration.retry.maxDelay >= configuration.retry.baseDelay else {
                    throw ConfigurationError(key: "\(key).retry_max_ms", "must not be below \(key).retry_base_ms")
                }
            })
    }

    static var skill: ConfigSection<BatonConfiguration.Skill> {
        ConfigSection(keys: [
            .init("path", \.path, .path, doc: "the skill library (lib<Name>.so); required unless ffi names a plain C function"),
            .init("name", \.name, ConfigType.text.optional(placeholder: ""), doc: "an ffi entry's name in logs and metrics (default: the function's)"),
            .init("kind", \.kind, .functionKind, doc: "an ffi entry's kind: responder or detector"),
            .init(
                "ffi", \.ffi, .optionalSection(function, template: .init(library: "", prototype: "")),
                doc: "a plain C function bound through libffi instead of a skill library"),
            .init("config", \.configJSON, .jsonObject, doc: "handed to the skill's create() as JSON"),
            .init("timeout_ms", \.timeoutMilliseconds, .integer(in: 1...3_600_000, "an hour"), doc: "a call past this is abandoned"),
            .init(
                "escalate_to", \.escalateTo, ConfigType.text.optional(placeholder: ""),
                doc: "a detector's escalation goes to: human (default), back, a hosted app's name or an app id"),
            .init("threshold", \.threshold, ConfigType.fraction.optional(placeholder: 0.5), doc: "this detector's own escalation threshold"),
            .init("isolation", \.isolation, .skillIsolation, doc: "in_process, or process: worker processes a crash cannot take down"),
            .init("workers", \.workers, .integer(in: 1...64), doc: "worker processes under isolation: process"),
            .init(
                "memory_limit_mb", \.memoryLimitMB, ConfigType.integer(in: 1...1_048_576, "1 TiB").optional(placeholder: 256),
                doc: "the address space a worker's skill may add (RLIMIT_AS), isolation: process only"),
            .init(
                "worker_spin_us", \.workerSpinMicroseconds, ConfigType.integer(in: 0...1_000_000, "1 s").optional(placeholder: 100),
                doc: "how long (µs) a worker checks for the next call before it sleeps (default 100), isolation: process only"),
            .init(
                "worker_cpu", \.workerCPU, ConfigType.integer(in: 0...1023).optional(placeholder: 0),
                doc: "the CPU this skill's workers are bound to (sched_setaffinity), isolation: process only"),
            .init("skills_optional", \.isOptional, .flag, doc: "start without this skill when it crashes or fails its checks at start-up"),
        ], finish: { skill, key throws(ConfigurationError) in try checkSkillEntry(&skill, key) })
    }

    static var skillList: ConfigType<[BatonConfiguration.Skill]> {
        .list(of: skill, template: .init(path: ""), shape: "must be a mapping with path and config")
    }

    /// One entry of `apps:`: the keys of `messenger:` plus its name, handover rules and skills.
    static var app: ConfigSection<HostedApp.Entry> {
        let shared = messenger.keys.filter { $0.name != "graph_api_url" }.map { $0.rooted(at: \HostedApp.Entry.messenger) }
        let checkMessenger = messenger.finish
        return ConfigSection(
            keys: [.init("name", \.name, .appName, required: true, doc: "the app's name: its webhook path is /webhook/<name>")] + shared + [
                .init("graph_api_url", \.graphAPIURL, ConfigType.httpURL.optional(placeholder: ""), doc: "this app's Graph API (default: the top-level one)"),
                .init(
                    "handover", \.handover, .optionalSection(handover, template: HandoverSettings(me: "")),
                    doc: "this app's handover rules (default: the top-level section)"),
                .init("skills", \.skills, skillList.optional(placeholder: []), doc: "this app's skills (default: the top-level list)"),
            ],
            finish: { entry, key throws(ConfigurationError) in try checkMessenger(&entry.messenger, key) })
    }

    static var logging: ConfigSection<BatonConfiguration> {
        ConfigSection(keys: [.init("level", \.logLevel, .logLevel, doc: "the least severe level logged")])
    }

    static var simulator: ConfigSection<BatonConfiguration.Simulator> {
        ConfigSection(keys: [
            .init("webhook_url", \.webhookURL, ConfigType.text.optional(placeholder: ""), doc: "where the simulator posts webhooks"),
            .init(
                "default_owner_app_id", \.defaultOwnerAppID, ConfigType.text.map({ AppID($0) }, back: \.rawValue).optional(placeholder: ""),
                doc: "the Pages' Conversation Routing default app"),
            .init("knobs", \.knobsJSON, ConfigType.jsonObject.optional(placeholder: "{}"), doc: "the simulator's knobs (docs/simulator.md)"),
        ])
    }
}

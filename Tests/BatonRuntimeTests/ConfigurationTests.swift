import BatonCore
import BatonRuntime
import Foundation
import Logging
import Testing

/// The operator-facing settings added for crash safety and hostile clients: read, checked
/// with one error naming the key, and defaulted.
@Suite("Configuration: outbox and server limits")
struct ConfigurationTests {
    static let base = """
        messenger:
          app_id: "712345678901234"
          app_secret: s
          verify_token: v
          pages:
            - id: "109876543210987"
              access_token: t
        """

    func parse(_ extra: String) throws(ConfigurationError) -> BatonConfiguration {
        try BatonConfiguration.parse(yaml: Self.base + "\n" + extra, baseDirectory: "/tmp", environment: [:])
    }

    /// Expects the reader to refuse `yaml` (after ``base``, unless `whole`) with one error
    /// that starts `config EXPECTED`.
    func expectRefused(_ yaml: String, _ expected: String, whole: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try whole ? BatonConfiguration.parse(yaml: yaml, baseDirectory: "/tmp", environment: [:]) : parse(yaml)
            Issue.record("accepted: \(yaml)", sourceLocation: sourceLocation)
        } catch {
            #expect("\(error)".hasPrefix("config " + expected), "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func defaultsWhenTheSectionsAreAbsent() throws {
        let configuration = try parse("")
        #expect(configuration.retry == RetryPolicy())
        #expect(configuration.server.skillThreads == 32)
        #expect(configuration.server.maxConnections == 512)
        #expect(configuration.server.idleTimeoutSeconds == 30)
        #expect(configuration.server.bodyTimeoutSeconds == 15)
        #expect(configuration.server.sweepIntervalSeconds == 30)
    }

    @Test func readsEveryKey() throws {
        let configuration = try parse(
            """
            server:
              skill_threads: 4
              max_connections: 64
              idle_timeout_seconds: 5
              body_timeout_seconds: 2.5
              sweep_interval_seconds: 10
            outbox:
              max_attempts: 12
              retry_base_ms: 50
              retry_max_ms: 5000
            """)
        #expect(configuration.retry == RetryPolicy(maxAttempts: 12, baseDelay: .milliseconds(50), maxDelay: .seconds(5)))
        #expect(configuration.server.skillThreads == 4)
        #expect(configuration.server.maxConnections == 64)
        #expect(configuration.server.idleTimeoutSeconds == 5)
        #expect(configuration.server.bodyTimeoutSeconds == 2.5)
        #expect(configuration.server.sweepIntervalSeconds == 10)
    }

    @Test func badValuesNameTheirKey() {
        let cases: [(String, String)] = [
            ("outbox:\n  max_attempts: 0", "outbox.max_attempts: must be at least 1"),
            ("outbox:\n  retry_base_ms: 500\n  retry_max_ms: 100", "outbox.retry_max_ms: must not be below outbox.retry_base_ms"),
            ("outbox:\n  retries: 3", "outbox.retries: unknown key"),
            ("server:\n  skill_threads: 0", "server.skill_threads: must be 1...1024, got 0"),
            ("server:\n  max_connections: 0", "server.max_connections: must be at least 1"),
            ("server:\n  idle_timeout_seconds: 0", "server.idle_timeout_seconds: must be positive"),
            ("server:\n  body_timeout_seconds: -1", "server.body_timeout_seconds: must be positive"),
            ("server:\n  sweep_interval_seconds: x", "server.sweep_interval_seconds: must be a number"),
            // Extreme values are refused with their key, never a trap later on.
            ("server:\n  sweep_interval_seconds: 1e300", "server.sweep_interval_seconds: must be at most 86400"),
            ("server:\n  idle_timeout_seconds: .inf", "server.idle_timeout_seconds: must be a finite number"),
            ("server:\n  shutdown_grace_seconds: .nan", "server.shutdown_grace_seconds: must be a finite number"),
            ("server:\n  shutdown_grace_seconds: 1e19", "server.shutdown_grace_seconds: must be at most 86400"),
            ("outbox:\n  retry_base_ms: 9223372036854775807", "outbox.retry_base_ms: must be 1...3600000"),
            ("outbox:\n  retry_max_ms: 9223372036854775807", "outbox.retry_max_ms: must be 1...3600000"),
            ("outbox:\n  max_age_seconds: 0", "outbox.max_age_seconds: must be 1...31536000"),
            ("handover:\n  extend_control_seconds: 604801", "handover.extend_control_seconds: must be 0...604800"),
            ("handover:\n  done_keywords: [\"\"]", "handover.done_keywords[0]: must be a non-empty string"),
        ]
        for (yaml, expected) in cases { expectRefused(yaml, expected) }
    }

    @Test func readsTheThreadControlKeys() throws {
        let yaml = """
            messenger:
              app_id: "712345678901234"
              app_secret: s
              verify_token: v
              graph_timeout_seconds: 2.5
              pages:
                - {id: "109876543210987", access_token: t, default_app: false}
                - {id: "109876543210988", access_token: u}
            handover:
              release_when_done: true
              done_keywords: [thanks, bye]
              extend_control_seconds: 604800
            outbox:
              max_age_seconds: 3600
            """
        let configuration = try BatonConfiguration.parse(yaml: yaml, baseDirectory: "/tmp", environment: [:])
        #expect(configuration.messenger.graphTimeoutSeconds == 2.5)
        #expect(configuration.messenger.pages.map(\.defaultApp) == [false, true])
        #expect(configuration.handover.releaseWhenDone)
        #expect(configuration.handover.doneKeywords == ["thanks", "bye"])
        #expect(configuration.handover.extendControlSeconds == 604_800)
        #expect(configuration.outboxMaxAgeSeconds == 3600)
        let typo = yaml.replacingOccurrences(of: "graph_timeout_seconds", with: "graph_timeout_secs")
        #expect(throws: ConfigurationError.self) {
            try BatonConfiguration.parse(yaml: typo, baseDirectory: "/tmp", environment: [:])
        }
    }

    @Test func anUnknownKeyIsAnErrorInEverySectionAndListItem() {
        let cases: [(String, String)] = [
            ("server:\n  prot: 1", "server.prot: unknown key (expected one of host, port, max_body_bytes, "),
            ("handover:\n  done_keyword: [x]", "handover.done_keyword: unknown key (expected one of agent_app_id, "),
            ("storage:\n  path: x", "storage.path: unknown key (expected one of url)"),
            ("outbox:\n  max_age: 1", "outbox.max_age: unknown key (expected one of max_attempts, "),
            ("skills:\n  - path: x.so\n    timeout_msec: 1", "skills[0].timeout_msec: unknown key (expected one of path, name, kind, ffi, config, timeout_ms, escalate_to, threshold"),
            ("logging:\n  lvl: info", "logging.lvl: unknown key (expected one of level)"),
            ("simulator:\n  knob: {}", "simulator.knob: unknown key (expected one of webhook_url, default_owner_app_id, knobs)"),
            ("metrics: {}", "metrics: unknown section (expected one of messenger, server, handover, storage, outbox, skills, logging, simulator, graph_api_url, apps)"),
        ]
        for (yaml, expected) in cases { expectRefused(yaml, expected) }
        let messenger = Self.base.replacingOccurrences(of: "verify_token: v", with: "verify_token: v\n  graph_api_urll: http://x")
        let page = Self.base.replacingOccurrences(of: "access_token: t", with: "access_token: t\n      default_ap: false")
        for (yaml, expected) in [
            (messenger, "messenger.graph_api_urll: unknown key (expected one of app_id, app_secret, verify_token, graph_api_url, "),
            (page, "messenger.pages[0].default_ap: unknown key (expected one of id, name, access_token, default_app)"),
        ] {
            expectRefused(yaml, expected, whole: true)
        }
    }

    @Test func storageURLAndLogLevelAreTypedValues() throws {
        let defaults = try parse("")
        #expect(defaults.storage.location == .sqlite(path: "/tmp/baton.sqlite"))
        #expect(defaults.logLevel == .info)
        let configuration = try parse("storage:\n  url: sqlite:data/b.sqlite\nlogging:\n  level: warning")
        #expect(configuration.storage.location == .sqlite(path: "/tmp/data/b.sqlite"))
        #expect(configuration.storage.location.description == "sqlite:/tmp/data/b.sqlite")
        #expect(configuration.logLevel == .warning)
        let postgres = try parse("storage:\n  url: postgres://db.example/baton")
        #expect(postgres.storage.location == .postgres(URL(string: "postgres://db.example/baton")!))
        #expect(postgres.storage.location.kind == "postgres")
        for (yaml, expected) in [
            ("storage:\n  url: \"sqlite:\"", "storage.url: sqlite: needs a file path"),
            ("storage:\n  url: mysql://x", "storage.url: must start with sqlite: or postgres://"),
            ("logging:\n  level: loud", "logging.level: must be one of trace, debug, info, notice, warning, error, critical"),
        ] {
            expectRefused(yaml, expected)
        }
    }

    @Test func requiredKeysAndListItemsNameTheirKey() {
        #expect(throws: Never.self) { try parse("server:\n  port: 1") }
        let cases: [(String, String)] = [
            ("skills:\n  - config: {}", "skills[0].path: is required"),
            ("skills:\n  - x.so", "skills[0]: must be a mapping with path and config"),
            ("skills:\n  - path: x.so\n    config: [1]", "skills[0].config: must be a mapping"),
            ("handover:\n  agent_app_id: \"712345678901234\"", "handover.agent_app_id: must differ from messenger.app_id"),
            ("handover:\n  agent_app_id: inbox", "handover.agent_app_id: must be a numeric app id"),
        ]
        for (yaml, expected) in cases { expectRefused(yaml, expected) }
        let noPages = "messenger:\n  app_id: \"1\"\n  app_secret: s\n  verify_token: v"
        let twice = Self.base + "\n    - id: \"109876543210987\"\n      access_token: u"
        for (yaml, expected) in [
            (noPages, "messenger.pages: must list at least one page"), (twice, "messenger.pages[1].id: page 109876543210987 is listed twice"),
            ("server: {}", "messenger: is required"), ("messenger:\n  app_id: \"1\"", "messenger.app_secret: is required"),
        ] {
            expectRefused(yaml, expected, whole: true)
        }
    }
}

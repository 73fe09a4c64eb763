import BatonCore
import BatonRuntime
import Foundation
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
        for (yaml, expected) in cases {
            do {
                _ = try parse(yaml)
                Issue.record("accepted: \(yaml)")
            } catch {
                #expect("\(error)".hasPrefix("config " + expected), "\(error)")
            }
        }
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
}

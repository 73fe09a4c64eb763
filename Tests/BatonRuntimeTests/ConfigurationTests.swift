import BatonRuntime
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
}

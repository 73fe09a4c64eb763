import BatonTestSupport
import Foundation
import Testing

/// `baton serve` with a misspelt key in any section exits 2 with one line naming the key and
/// its section, before it opens anything.
@Suite("baton serve: a misspelt key exits 2")
struct MisspeltKeyCommandTests {
    /// A configuration with every section, each holding the key a case misspells.
    static let complete = """
        server:
          host: 127.0.0.1
          port: 0
          max_connections: 64
        messenger:
          app_id: "712345678901234"
          app_secret: ${BATON_APP_SECRET}
          verify_token: ${BATON_VERIFY_TOKEN}
          graph_api_url: http://127.0.0.1:9/v25.0
          pages:
            - id: "109876543210987"
              access_token: ${BATON_PAGE_TOKEN}
              default_app: true
        handover:
          max_fallbacks: 2
        storage:
          url: sqlite:./baton.sqlite
        outbox:
          max_attempts: 3
        skills:
          - path: ./libEchoSkill.so
            timeout_ms: 2000
        logging:
          level: info
        simulator:
          webhook_url: http://127.0.0.1:9/webhook
        """

    /// Runs `baton serve` on `complete` with `key` replaced by `typo`.
    func serve(replacing key: String, with typo: String) async throws -> CommandLineTests.Run {
        #expect(Self.complete.contains(key))
        let folder = try TemporaryDirectory(prefix: "baton-typo")
        let path = try CommandLineTests.writeConfig(Self.complete.replacingOccurrences(of: key, with: typo), in: folder)
        return try await CommandLineTests.baton(
            ["serve", "--config", path], environment: CommandLineTests.environment, timeout: .seconds(30))
    }

    func expectOneLine(_ run: CommandLineTests.Run, _ prefix: String) {
        #expect(run.reason == .exit)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        #expect(run.stderr.hasPrefix(prefix), "\(run.stderr)")
        #expect(run.stdout.isEmpty, "\(run.stdout)")
    }

    @Test(arguments: [
        ("max_connections:", "max_conections:", "config server.max_conections: unknown key (expected one of host, port, "),
        ("graph_api_url:", "graph_api_urll:", "config messenger.graph_api_urll: unknown key (expected one of app_id, "),
        ("default_app:", "defualt_app:", "config messenger.pages[0].defualt_app: unknown key (expected one of id, name, "),
        ("max_fallbacks:", "max_falbacks:", "config handover.max_falbacks: unknown key (expected one of agent_app_id, "),
        ("url: sqlite", "uri: sqlite", "config storage.uri: unknown key (expected one of url)"),
        ("max_attempts:", "max_attemps:", "config outbox.max_attemps: unknown key (expected one of max_attempts, "),
        ("timeout_ms:", "timeout:", "config skills[0].timeout: unknown key (expected one of path, name, kind, ffi, config, timeout_ms, escalate_to, threshold, isolation, workers, memory_limit_mb, worker_spin_us, worker_cpu, skills_optional)"),
        ("level: info", "levle: info", "config logging.levle: unknown key (expected one of level)"),
        ("webhook_url:", "webhook:", "config simulator.webhook: unknown key (expected one of webhook_url, "),
        ("outbox:", "outbx:", "config outbx: unknown section (expected one of messenger, server, "),
    ])
    func aMisspeltKeyIsNamedWithItsSection(key: String, typo: String, line: String) async throws {
        expectOneLine(try await serve(replacing: key, with: typo), line)
    }

    @Test func aBadValueExitsTwoToo() async throws {
        expectOneLine(try await serve(replacing: "level: info", with: "level: loud"), "config logging.level: must be one of trace, debug, ")
        expectOneLine(
            try await serve(replacing: "url: sqlite:./baton.sqlite", with: "url: mysql://db"),
            "config storage.url: must start with sqlite: or postgres://")
    }
}

import BatonCore
import BatonRuntime
import BatonSimulator
import BatonTesting
import BatonTestSupport
import Foundation
import NIOHTTP1
import Testing

/// `/metrics` is rendered by swift-prometheus from the declared metrics: every family has
/// `# HELP` and `# TYPE`, and the names operators and tests rely on stay as they were.
@Suite("Metrics")
struct MetricsEndpointTests {
    /// What one scrape shows: the sample lines, and the HELP and TYPE lines by metric name.
    struct Scrape {
        var samples: [MetricSample] = []
        var help: [String: String] = [:]
        var type: [String: String] = [:]

        init(_ text: String) {
            samples = MetricSample.parse(text)
            for line in text.split(separator: "\n") where line.hasPrefix("# ") {
                let words = line.split(separator: " ", maxSplits: 3).map(String.init)
                guard words.count == 4 else { continue }
                if words[1] == "HELP" { help[words[2]] = words[3] }
                if words[1] == "TYPE" { type[words[2]] = words[3] }
            }
        }

        func has(_ name: String, _ labels: [String: String]) -> Bool {
            samples.contains { $0.name == name && $0.labels == labels }
        }
    }

    @Test func everyDeclaredMetricHasAUniqueNameAndItsLabels() {
        #expect(Set(RuntimeMetric.all.map(\.name)).count == RuntimeMetric.all.count)
        for metric in RuntimeMetric.all {
            #expect(metric.name.hasPrefix("baton_"), "\(metric.name)")
            #expect(!metric.help.isEmpty, "\(metric.name)")
            #expect((metric.kind == .counter) == metric.name.hasSuffix("_total"), "\(metric.name)")
            #expect(RuntimeMetric.named(metric.name) == metric)
        }
    }

    @Test func everyMetricRendersWithHelpAndTypeAndReadsBack() {
        let metrics = RuntimeMetrics()
        for metric in RuntimeMetric.counters {
            let labels = Dictionary(uniqueKeysWithValues: metric.labels.map { ($0, "x\"y") })
            metrics.increment(metric, labels, by: 2)
        }
        for metric in RuntimeMetric.gauges { metrics.set(metric, to: 3) }
        let scrape = Scrape(metrics.render())
        for metric in RuntimeMetric.all {
            #expect(scrape.help[metric.name] == metric.help, "\(metric.name)")
            #expect(scrape.type[metric.name] == metric.kind.rawValue, "\(metric.name)")
            let sample = scrape.samples.first { $0.name == metric.name }
            #expect(sample?.value == (metric.kind == .counter ? 2 : 3), "\(metric.name)")
            #expect(Set(sample?.labels.keys.map { $0 } ?? []) == Set(metric.labels.map(\.name)), "\(metric.name)")
            #expect(sample?.labels.values.allSatisfy { $0 == "x\"y" } ?? false, "\(metric.name)")
        }
        let series = [("skill", "x\"y"), ("op", "x\"y"), ("result", "x\"y")]
        #expect(metrics.value("baton_skill_calls_total", series) == 2)
        #expect(metrics.value(.skillCalls, [.result: "x\"y", .skill: "x\"y", .op: "x\"y"]) == 2)
        #expect(metrics.total("baton_skill_calls_total") == 2)
    }

    @Test func misuseIsIgnoredNotATrap() {
        let metrics = RuntimeMetrics()
        metrics.increment(.outboxDeadTotal, by: -5)
        metrics.increment(.inboxPending)
        metrics.set(.outboxDeadTotal, to: 9)
        metrics.increment(.pagePauses, [.reason: "rate_limited", .status: "undeclared"])
        metrics.increment(.graphCalls)
        #expect(metrics.total("baton_outbox_dead_total") == 0)
        #expect(metrics.total("baton_inbox_pending") == 0)
        #expect(metrics.value("baton_page_pauses_total", [("reason", "rate_limited")]) == 1)
        #expect(metrics.value("baton_graph_calls_total", [("action", ""), ("result", "")]) == 1)
        // Unlabeled counters show 0 from the start.
        #expect(Scrape(metrics.render()).has("baton_skill_crash_loops_total", [:]))
    }

    @Test func aRealServerShowsEveryFamilyWithHelpAndTypeAfterTraffic() async throws {
        let harness = try await ConversationHarness.start(
            skills: [.init(path: TestPaths.library("KeywordEscalation")), .init(path: TestPaths.library("EchoSkill"))],
            logger: testLogger())
        let (sim, page) = (harness.simulator, harness.pageID)
        let base = "http://127.0.0.1:\(harness.configuration.server.port)"
        _ = await sim.userSends(text: "hello", page: page, user: await sim.createUser(page: page))
        let unsigned = try await http(.POST, base + "/webhook", body: Array(#"{"object":"page","entry":[]}"#.utf8))
        #expect(unsigned.status == 401)
        let refusal = "(#200) The app does not have the permission"
        await sim.refuseCalls(to: "pass_thread_control", code: 200, message: refusal)
        _ = await sim.userSends(text: "I want a human", page: page, user: await sim.createUser(page: page))
        try await waitUntil("the refused escalation shows") {
            Scrape(try await http(.GET, base + "/metrics").body).has("baton_escalations_failed_total", ["reason": "permission"])
        }
        // Long enough to be met under any load; the test does not wait for its end.
        await sim.throttlePage(page, for: .seconds(30), refusal: .apiRateLimit, headers: .retryAfter)
        _ = await sim.userSends(text: "hi", page: page, user: await sim.createUser(page: page))
        var scrape = Scrape("")
        try await waitUntil("the throttle shows") {
            scrape = Scrape(try await http(.GET, base + "/metrics").body)
            return scrape.has("baton_escalations_failed_total", ["reason": "permission"])
                && scrape.has("baton_page_pauses_total", ["reason": "rate_limited"])
                && scrape.has("baton_escalations_pending", [:])
        }
        await harness.stop()

        for name in Set(scrape.samples.map(\.name)) {
            let declared = RuntimeMetric.named(name)
            #expect(declared != nil, "\(name) is not declared")
            #expect(scrape.help[name] == declared?.help, "\(name) has no HELP line")
            #expect(scrape.type[name] == declared?.kind.rawValue, "\(name) has no TYPE line")
        }
        for sample in scrape.samples {
            let declared = Set(RuntimeMetric.named(sample.name)?.labels.map(\.name) ?? [])
            #expect(Set(sample.labels.keys) == declared, "\(sample)")
        }
        for gauge in RuntimeMetric.gauges {
            #expect(scrape.has(gauge.name, [:]), "\(gauge.name) missing")
        }
        #expect(scrape.has("baton_inbox_pending", [:]))
        #expect(scrape.has("baton_webhook_requests_total", ["status": "200"]))
        #expect(scrape.has("baton_webhook_requests_total", ["status": "401"]))
        #expect(scrape.has("baton_events_processed_total", ["kind": "message"]))
        #expect(scrape.has("baton_outbox_dead_total", [:]))
        #expect(scrape.samples.contains { $0.name == "baton_graph_calls_total" && $0.labels["action"] == "send_reply" })
        #expect(scrape.samples.contains { $0.name == "baton_skill_calls_total" && $0.labels["result"] == "ok" })
    }
}

import BatonSimulator
import BatonTestSupport
import Foundation
import NIOHTTP1
import Testing

@Suite("Page throttles and late answers")
struct ThrottleTests {
    static func usage(_ reply: GraphReply, page: String) throws -> JSONValue? {
        let header = try #require(reply.headers.first(name: "X-Business-Use-Case-Usage"))
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(header.utf8))
        return json[page]?.array?.first
    }

    @Test(arguments: [true, false])
    func aThrottledPageRefusesEveryAppWithUsageHeader(withDefaultApp: Bool) async throws {
        try await withHarness(defaultOwner: withDefaultApp ? IDs.bot : nil) { (h: Harness) async throws in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            let other = await h.simulator.createUser(page: IDs.pageB)
            await h.simulator.userSends(text: "hi", page: IDs.pageA, user: psid)
            await h.simulator.userSends(text: "hi", page: IDs.pageB, user: other)
            await h.simulator.throttlePage(IDs.pageA, minutes: 5)

            let send = try await h.graph("POST", "/me/messages", body: Harness.text(psid, "hello"))
            #expect(send.status == 400 && send.errorCode == 80006)
            #expect(send.json["error"]?["is_transient"] == .bool(true))
            let usage = try #require(try Self.usage(send, page: IDs.pageA))
            #expect(usage["type"]?.string == "messenger")
            #expect(usage["estimated_time_to_regain_access"]?.int == 5)
            #expect(usage["call_count"]?.int == 100)
            #expect(send.headers.first(name: "Retry-After") == nil)
            let take = try await h.graph("POST", "/me/take_thread_control", body: Harness.recipient(psid), app: IDs.agentApp)
            #expect(take.errorCode == 80006)
            #expect(try await h.graph("GET", "/me/thread_owner", query: "&recipient=\(psid)").errorCode == 80006)
            // Another Page is not throttled.
            #expect(try await h.graph("POST", "/me/messages", body: Harness.text(other, "hello"), token: IDs.tokenB).status == 200)
            #expect(await h.simulator.throttledCallCount(page: IDs.pageA) == 3)
            #expect(await h.simulator.throttledCallCount(page: IDs.pageB) == 0)
            let calls = await h.simulator.graphCalls(page: IDs.pageA)
            #expect(calls.map(\.throttled) == [true, true, true] && calls.allSatisfy { !$0.accepted })
            #expect(await h.simulator.timeline(page: IDs.pageA, user: psid).compactMap(\.refused).map(\.code) == [80006, 80006, 80006])

            // Four minutes later one minute is left; after five the throttle is over.
            await h.simulator.advanceClock(by: .seconds(4 * 60))
            let later = try await h.graph("POST", "/me/messages", body: Harness.text(psid, "hello"))
            #expect(try Self.usage(later, page: IDs.pageA)?["estimated_time_to_regain_access"]?.int == 1)
            await h.simulator.advanceClock(by: .seconds(60))
            #expect(try await h.graph("POST", "/me/messages", body: Harness.text(psid, "hello")).status == 200)
            #expect(await h.simulator.throttledCallCount(page: IDs.pageA) == 4)
            #expect(await h.simulator.throttle(page: IDs.pageA) == nil)
        }
    }

    @Test func throttleOverTheControlAPIWithRetryAfterAndPageRestricted() async throws {
        try await withHarness { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            await h.simulator.userSends(text: "hi", page: IDs.pageA, user: psid)
            let set = try await h.control("POST", "/control/pages/\(IDs.pageA)/throttle", body: #"{"seconds":90,"code":10,"headers":"retry_after"}"#)
            #expect(set.status == 200 && set.json["active"] == .bool(true) && set.json["code"]?.int == 10)
            let refused = try await h.graph("POST", "/me/messages", body: Harness.text(psid, "hello"))
            #expect(refused.errorCode == 10 && refused.errorSubcode == 1893063)
            #expect(refused.json["error"]?["message"]?.string == "(#10) Page temporarily restricted")
            #expect(refused.headers.first(name: "Retry-After").flatMap(Int.init).map { (89...90).contains($0) } == true)
            #expect(refused.headers.first(name: "X-Business-Use-Case-Usage") == nil)

            for code in [613, 32] {
                _ = try await h.control("POST", "/control/pages/\(IDs.pageA)/throttle", body: #"{"minutes":2,"code":\#(code),"headers":"both"}"#)
                let reply = try await h.graph("POST", "/me/pass_thread_control", body: Harness.recipient(psid, [.init("target_app_id", .string(IDs.agentApp))]))
                #expect(reply.errorCode == code && reply.json["error"]?["is_transient"] == .bool(true))
                #expect(reply.headers.first(name: "Retry-After").flatMap(Int.init).map { (119...120).contains($0) } == true)
                #expect(try Self.usage(reply, page: IDs.pageA)?["estimated_time_to_regain_access"]?.int == 2)
            }
            let status = try await h.control("GET", "/control/pages/\(IDs.pageA)/throttle")
            #expect(status.json["refused_calls"]?.int == 3)
            let lifted = try await h.control("POST", "/control/pages/\(IDs.pageA)/throttle/lift")
            #expect(lifted.json["active"] == .bool(false) && lifted.json["refused_calls"]?.int == 3)
            #expect(try await h.graph("POST", "/me/messages", body: Harness.text(psid, "hello")).status == 200)
            #expect(try await h.control("POST", "/control/pages/\(IDs.pageA)/throttle", body: #"{"minutes":1,"code":4}"#).status == 400)
            #expect(try await h.control("POST", "/control/pages/\(IDs.pageA)/throttle", body: #"{"code":80006}"#).status == 400)
            #expect(try await h.control("POST", "/control/pages/1/throttle", body: #"{"minutes":1}"#).status == 404)
            #expect(try await h.control("DELETE", "/control/pages/\(IDs.pageA)/throttle").status == 200)
        }
    }

    @Test(arguments: [true, false])
    func lateAnswersApplyTheChangeButTheClientTimesOut(withDefaultApp: Bool) async throws {
        try await withHarness(defaultOwner: withDefaultApp ? IDs.bot : nil) { (h: Harness) async throws in
            let psid = try await h.userOwnedByBot(withDefaultApp: withDefaultApp)
            await h.simulator.setLateAnswer(.milliseconds(4000), for: "pass_thread_control")
            let pass = Harness.recipient(psid, [.init("target_app_id", .string(IDs.agentApp))])
            await #expect(throws: (any Error).self) {
                _ = try await h.graph("POST", "/me/pass_thread_control", body: pass, timeout: .milliseconds(1000))
            }
            // Meta applied the pass although the client saw a timeout (under load the call may
            // still be on its way when the client gives up: wait for it to arrive).
            try await waitUntil("the pass reached Meta", timeout: .seconds(10)) {
                await h.simulator.graphCalls(page: IDs.pageA, user: psid).last?.endpoint == "pass_thread_control"
            }
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == IDs.agentApp)
            let call = try #require(await h.simulator.graphCalls(page: IDs.pageA, user: psid).last)
            #expect(call.endpoint == "pass_thread_control" && call.accepted && call.answerDelayMilliseconds == 4000)
            #expect(call.ownerAtCall == IDs.bot)
            // Other endpoints answer at once; thread_owner confirms.
            let owner = try await h.graph("GET", "/me/thread_owner", app: IDs.agentApp, query: "&recipient=\(psid)", timeout: .milliseconds(1000))
            #expect(owner.json["data"]?.array?.first?["thread_owner"]?["app_id"]?.string == IDs.agentApp)

            // Through the control API, for every call kind, then cleared.
            let set = try await h.control("POST", "/control/late_answers", body: #"{"seconds":1.5}"#)
            #expect(set.json["*"] == .double(1.5) || set.json["*"]?.int != nil)
            await #expect(throws: (any Error).self) {
                _ = try await h.graph("POST", "/me/release_thread_control", body: Harness.recipient(psid), app: IDs.agentApp, timeout: .milliseconds(200))
            }
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == (withDefaultApp ? IDs.bot : nil))
            _ = try await h.control("POST", "/control/late_answers", body: #"{"seconds":0}"#)
            _ = try await h.control("POST", "/control/late_answers", body: #"{"endpoint":"pass_thread_control","seconds":null}"#)
            #expect(await h.simulator.liveKnobs.lateAnswerDelays.isEmpty)
            #expect(try await h.control("POST", "/control/late_answers", body: #"{"endpoint":"thread_owner","seconds":1}"#).status == 400)
            let take = try await h.graph("POST", "/me/take_thread_control", body: Harness.recipient(psid), app: IDs.agentApp, timeout: .milliseconds(1000))
            #expect(take.status == 200)
        }
    }
}

import BatonSimulator
import BatonTestSupport
import Testing

@Suite("Thread control")
struct HandoverTests {
    @Test func passGoesToTheTargetOnMessagingAndOthersOnStandby() async throws {
        try await withHarness(defaultOwner: IDs.bot) { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            await h.simulator.userSends(text: "I want a human", page: IDs.pageA, user: psid)
            let metadata = #"{"reason":"user_requested_human"}"#
            let body = Harness.recipient(psid, [.init("target_app_id", .int(823_456_789_012_345)), .init("metadata", .string(metadata))])
            let reply = try await h.graph("POST", "/v25.0/me/pass_thread_control", body: body)
            #expect(reply.status == 200)
            #expect(reply.json == (try fixture("graph-success-response.json")))
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == IDs.agentApp)
            let pass = try await h.lastMessagingEvent(for: IDs.agentApp)
            let expectedEvent = try fixtureEvent("webhook-pass-thread-control-to-agent-app.json")
            #expect(pass.keys == expectedEvent.keys)
            #expect(pass["pass_thread_control"]?.keys == expectedEvent["pass_thread_control"]?.keys)
            #expect(pass["pass_thread_control"]?["previous_owner_app_id"]?.string == IDs.bot)
            #expect(pass["pass_thread_control"]?["new_owner_app_id"]?.string == IDs.agentApp)
            #expect(pass["pass_thread_control"]?["metadata"]?.string == metadata)
            #expect(pass["sender"]?["id"]?.string == psid)
            // The caller (the bot) gets no copy of its own pass.
            #expect(await h.receiver.events(for: IDs.bot).allSatisfy { $0.event["pass_thread_control"] == nil })

            // The bot is now refused, cannot pass again, and cannot pass to itself.
            #expect(try await h.graph("POST", "/me/messages", body: Harness.text(psid, "x")).errorSubcode == 2018300)
            #expect(try await h.graph("POST", "/me/pass_thread_control", body: body).errorCode == 10)
            let toSelf = Harness.recipient(psid, [.init("target_app_id", .string(IDs.agentApp))])
            #expect(try await h.graph("POST", "/me/pass_thread_control", body: toSelf, app: IDs.agentApp).errorCode == 100)
            let unknown = Harness.recipient(psid, [.init("target_app_id", .string("111"))])
            #expect(try await h.graph("POST", "/me/pass_thread_control", body: unknown, app: IDs.agentApp).errorCode == 100)
            // No target: the default app.
            #expect(try await h.graph("POST", "/me/pass_thread_control", body: Harness.recipient(psid), app: IDs.agentApp).status == 200)
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == IDs.bot)
            let control = await h.simulator.timeline(page: IDs.pageA, user: psid).compactMap(\.control).filter { $0.action == .pass }
            #expect(control.map(\.to) == [IDs.agentApp, IDs.bot])
        }
    }

    @Test func takeNotifiesThePreviousOwner() async throws {
        try await withHarness(defaultOwner: IDs.bot) { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            #expect(try await h.graph("POST", "/me/take_thread_control", body: Harness.recipient(psid)).errorCode == 100)  // already owner
            let body = Harness.recipient(psid, [.init("metadata", .string("agent desk picks it up"))])
            #expect(try await h.graph("POST", "/me/take_thread_control", body: body, app: IDs.agentApp).status == 200)
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == IDs.agentApp)
            let take = try await h.lastMessagingEvent(for: IDs.bot)
            #expect(take["take_thread_control"]?["previous_owner_app_id"]?.string == IDs.bot)
            #expect(take["take_thread_control"]?["new_owner_app_id"]?.string == IDs.agentApp)
            #expect(take["take_thread_control"]?["metadata"]?.string == "agent desk picks it up")
            #expect(await h.receiver.events(for: IDs.agentApp).isEmpty)
        }
    }

    @Test func takeNeedsIdleThreadWithoutDefaultApp() async throws {
        try await withHarness(defaultOwner: nil) { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            #expect(try await h.graph("POST", "/me/take_thread_control", body: Harness.recipient(psid)).status == 200)
            let refused = try await h.graph("POST", "/me/take_thread_control", body: Harness.recipient(psid), app: IDs.agentApp)
            #expect(refused.errorCode == 10)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            #expect(await h.receiver.received.isEmpty)  // take from idle: no webhook
        }
    }

    @Test func requestControlGoesToTheOwnerOrIsGrantedWhenIdle() async throws {
        try await withHarness(defaultOwner: nil) { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            // Idle: granted at once, with a pass_thread_control to the requester.
            #expect(try await h.graph("POST", "/me/request_thread_control", body: Harness.recipient(psid)).status == 200)
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == IDs.bot)
            let granted = try await h.lastMessagingEvent(for: IDs.bot)
            #expect(granted["pass_thread_control"]?["previous_owner_app_id"] == .null)
            #expect(granted["pass_thread_control"]?["new_owner_app_id"]?.string == IDs.bot)
            #expect(try await h.graph("POST", "/me/request_thread_control", body: Harness.recipient(psid)).errorCode == 100)

            let ask = Harness.recipient(psid, [.init("metadata", .string("agent app wants this thread"))])
            #expect(try await h.graph("POST", "/me/request_thread_control", body: ask, app: IDs.agentApp).status == 200)
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == IDs.bot)
            let request = try await h.lastMessagingEvent(for: IDs.bot)
            #expect(request["request_thread_control"]?["requested_owner_app_id"]?.string == IDs.agentApp)
            #expect(request["request_thread_control"]?["metadata"]?.string == "agent app wants this thread")
        }
    }

    @Test func releaseExtendAndThreadOwner() async throws {
        try await withHarness(defaultOwner: IDs.bot) { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            let owner = try await h.graph("GET", "/me/thread_owner", query: "&recipient=\(psid)")
            #expect(owner.json["data"]?.array?.first?["thread_owner"]?["app_id"]?.string == IDs.bot)
            let expiration = try #require(owner.json["data"]?.array?.first?["thread_owner"]?["expiration"]?.int)
            let now = await h.simulator.now / 1000
            #expect(abs(expiration - (now + 86_400)) <= 2)

            #expect(try await h.graph("POST", "/me/pass_thread_control", body: Harness.recipient(psid, [.init("target_app_id", .string(IDs.agentApp))])).status == 200)
            // The default app still sees the owner; a non-owner non-default... here both apps are privileged,
            // so check the agent's own view.
            let agentView = try await h.graph("GET", "/me/thread_owner", app: IDs.agentApp, query: "&recipient=\(psid)")
            #expect(agentView.json["data"]?.array?.first?["thread_owner"]?["app_id"]?.string == IDs.agentApp)

            #expect(try await h.graph("POST", "/me/extend_thread_control", body: Harness.recipient(psid, [.init("duration", .int(3 * 86_400))])).errorCode == 10)
            let extend = Harness.recipient(psid, [.init("duration", .int(3 * 86_400))])
            #expect(try await h.graph("POST", "/me/extend_thread_control", body: extend, app: IDs.agentApp).status == 200)
            let tooLong = Harness.recipient(psid, [.init("duration", .int(8 * 86_400))])
            #expect(try await h.graph("POST", "/me/extend_thread_control", body: tooLong, app: IDs.agentApp).errorCode == 100)
            await h.simulator.advanceClock(by: .seconds(2 * 86_400))
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == IDs.agentApp)

            #expect(try await h.graph("POST", "/me/release_thread_control", body: Harness.recipient(psid)).errorCode == 10)
            #expect(try await h.graph("POST", "/me/release_thread_control", body: Harness.recipient(psid), app: IDs.agentApp).status == 200)
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == IDs.bot)  // back to the default app
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            // No webhook for release; the bot saw nothing but nothing at all here.
            #expect(await h.receiver.events(for: IDs.bot).isEmpty)
            let actions = await h.simulator.timeline(page: IDs.pageA, user: psid).compactMap(\.control).map(\.action)
            #expect(actions == [.pass, .extend, .release])
        }
    }

    @Test func threadOwnerHidesTheAppFromOthersAndIsEmptyWhenIdle() async throws {
        try await withHarness(defaultOwner: nil) { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            let idle = try await h.graph("GET", "/me/thread_owner", query: "&recipient=\(psid)")
            #expect(idle.json == (try fixture("graph-thread-owner-response-empty.json")))
            #expect(try await h.graph("POST", "/me/take_thread_control", body: Harness.recipient(psid), app: IDs.agentApp).status == 200)
            let other = try await h.graph("GET", "/me/thread_owner", query: "&recipient=\(psid)")
            let info = try #require(other.json["data"]?.array?.first?["thread_owner"])
            #expect(info["app_id"] == nil)
            #expect(info["expiration"]?.int != nil)
            let mine = try await h.graph("GET", "/\(IDs.pageA)/thread_owner", app: IDs.agentApp, query: "&recipient=\(psid)")
            #expect(mine.json["data"]?.array?.first?["thread_owner"]?.keys == ["app_id", "expiration"])
        }
    }

    @Test func sendAPIThreadControlPassAndRelease() async throws {
        try await withHarness(defaultOwner: IDs.bot) { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            await h.simulator.userSends(text: "agent please", page: IDs.pageA, user: psid)
            let pass = Harness.text(psid, "Let me transfer you to a live agent.", extra: [
                .init("thread_control", .object([.init("app_id", .string(IDs.agentApp)), .init("control_type", .string("pass"))])),
            ])
            #expect(try await h.graph("POST", "/me/messages", body: pass).status == 200)
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == IDs.agentApp)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            let agentEvents = await h.receiver.events(for: IDs.agentApp)
            #expect(agentEvents.suffix(2).map(\.channel) == ["standby", "messaging"])  // the echo, then the pass
            #expect(agentEvents.last?.event["pass_thread_control"]?["new_owner_app_id"]?.string == IDs.agentApp)

            let release = Harness.text(psid, "Glad I could help", extra: [
                .init("thread_control", .object([.init("control_type", .string("release"))])),
            ])
            #expect(try await h.graph("POST", "/me/messages", body: release, app: IDs.agentApp).status == 200)
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == IDs.bot)
            let sent = await h.simulator.sentMessages(page: IDs.pageA, user: psid)
            #expect(sent.map(\.threadControl) == ["pass", "release"])
        }
    }

    @Test func idleTimeoutLapsesControlOnTheTestClock() async throws {
        try await withHarness(defaultOwner: nil) { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            await h.simulator.userSends(text: "hi", page: IDs.pageA, user: psid)
            #expect(try await h.graph("POST", "/me/messages", body: Harness.text(psid, "hello")).status == 200)
            await h.simulator.advanceClock(by: .seconds(23 * 3600))
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == IDs.bot)
            await h.simulator.advanceClock(by: .seconds(3600 + 1))
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == nil)
            let owner = try await h.graph("GET", "/me/thread_owner", query: "&recipient=\(psid)")
            #expect(owner.json["data"]?.array?.isEmpty == true)
            let expire = await h.simulator.timeline(page: IDs.pageA, user: psid).last?.control
            #expect(expire?.action == .expire && expire?.from == IDs.bot && expire?.to == nil)
        }
        try await withHarness(defaultOwner: IDs.bot) { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            try await h.simulator.agentTakesControl(page: IDs.pageA, user: psid)
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == IDs.inbox)
            await h.simulator.advanceClock(by: .seconds(24 * 3600 + 1))
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == IDs.bot)
        }
    }

    @Test func agentRepliesTakeControlFirst() async throws {
        try await withHarness(defaultOwner: IDs.bot) { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            await h.simulator.userSends(text: "hi", page: IDs.pageA, user: psid)
            let mid = try await h.simulator.agentReplies(text: "Hi, this is Maria", page: IDs.pageA, user: psid)
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == IDs.inbox)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            let bot = await h.receiver.events(for: IDs.bot)
            #expect(bot.map(\.channel) == ["messaging", "messaging", "standby"])  // message, take, echo
            #expect(bot[1].event["take_thread_control"]?["new_owner_app_id"]?.string == IDs.inbox)
            #expect(bot[2].event["message"]?["app_id"] == .int(263_902_037_430_900))
            #expect(bot[2].event["message"]?["mid"]?.string == mid)
            #expect(bot[2].event["message"]?["metadata"] == nil)

            try await h.simulator.agentPassesControl(to: nil, metadata: "done", page: IDs.pageA, user: psid)
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == IDs.bot)
            let back = try await h.lastMessagingEvent(for: IDs.bot)
            #expect(back["pass_thread_control"]?["previous_owner_app_id"]?.string == IDs.inbox)
            #expect(back["pass_thread_control"]?["metadata"]?.string == "done")
            await #expect(throws: SimulatorError.self) {
                try await h.simulator.agentPassesControl(to: IDs.agentApp, metadata: nil, page: IDs.pageA, user: psid)
            }
        }
    }
}

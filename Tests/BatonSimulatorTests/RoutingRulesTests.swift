import BatonSimulator
import BatonTestSupport
import Testing

/// Conversation Routing rules (platform.md §8), each checked on a Page with a default app (the bot)
/// and on one without ("zero-config").
@Suite("Conversation Routing rules")
struct RoutingRulesTests {
    static func ownerInfo(_ reply: GraphReply) -> JSONValue? { reply.json["data"]?.array?.first?["thread_owner"] }

    @Test(arguments: [true, false])
    func threadOwnerIsAnsweredPerCaller(withDefaultApp: Bool) async throws {
        try await withHarness(defaultOwner: withDefaultApp ? IDs.bot : nil) { (h: Harness) async throws in
            let psid = try await h.userOwnedByBot(withDefaultApp: withDefaultApp)
            // The bot owns the thread: it sees app_id + expiration; the agent app (neither owner nor default) only expiration.
            let mine = try #require(Self.ownerInfo(try await h.graph("GET", "/me/thread_owner", query: "&recipient=\(psid)")))
            #expect(mine.keys == ["app_id", "expiration"] && mine["app_id"]?.string == IDs.bot)
            let theirs = try #require(Self.ownerInfo(try await h.graph("GET", "/me/thread_owner", app: IDs.agentApp, query: "&recipient=\(psid)")))
            #expect(theirs.keys == ["expiration"])
            let expiry = await h.simulator.controlExpiry(page: IDs.pageA, user: psid)
            #expect(theirs["expiration"]?.int == expiry.map { $0 / 1000 })
            if withDefaultApp {
                // The agent app takes: the default app still sees who owns it.
                #expect(try await h.graph("POST", "/me/take_thread_control", body: Harness.recipient(psid), app: IDs.agentApp).status == 200)
                let byDefault = try #require(Self.ownerInfo(try await h.graph("GET", "/me/thread_owner", query: "&recipient=\(psid)")))
                #expect(byDefault["app_id"]?.string == IDs.agentApp)
                #expect(try await h.graph("POST", "/me/pass_thread_control", body: Harness.recipient(psid), app: IDs.agentApp).status == 200)
            }
            // Idle: an empty list for everyone.
            #expect(try await h.graph("POST", "/me/release_thread_control", body: Harness.recipient(psid)).status == 200)
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == nil)
            for app in [IDs.bot, IDs.agentApp] {
                #expect(try await h.graph("GET", "/me/thread_owner", app: app, query: "&recipient=\(psid)").json == .object([.init("data", .array([]))]))
            }
        }
    }

    @Test(arguments: [true, false])
    func takeNeedsThePermissionAndIsRefusedToTheOwner(withDefaultApp: Bool) async throws {
        try await withHarness(defaultOwner: withDefaultApp ? IDs.bot : nil) { (h: Harness) async throws in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            await h.simulator.setTakeControlPermission(false, for: IDs.agentApp)
            let refused = try await h.graph("POST", "/me/take_thread_control", body: Harness.recipient(psid), app: IDs.agentApp)
            #expect(refused.status == 400 && refused.errorCode == 200)
            #expect(refused.json["error"]?["type"]?.string == "OAuthException")
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == (withDefaultApp ? IDs.bot : nil))
            // The permission back, through the control API.
            let granted = try await h.control("POST", "/control/apps/\(IDs.agentApp)/permissions", body: #"{"take_control":true}"#)
            #expect(granted.status == 200)
            #expect(try await h.graph("POST", "/me/take_thread_control", body: Harness.recipient(psid), app: IDs.agentApp).status == 200)
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == IDs.agentApp)
            // Already the owner: refused (100), whatever the permission.
            #expect(try await h.graph("POST", "/me/take_thread_control", body: Harness.recipient(psid), app: IDs.agentApp).errorCode == 100)
            _ = try await h.control("POST", "/control/apps/\(IDs.bot)/permissions", body: #"{"take_control":false}"#)
            #expect(try await h.graph("POST", "/me/take_thread_control", body: Harness.recipient(psid)).errorCode == 200)
            #expect(try await h.control("POST", "/control/apps/999/permissions", body: #"{"take_control":false}"#).status == 404)
            let refusals = await h.simulator.timeline(page: IDs.pageA, user: psid).compactMap(\.refused).map(\.code)
            #expect(refusals == [200, 100, 200])
        }
    }

    @Test(arguments: [true, false])
    func requestControlOnlyWithoutADefaultApp(withDefaultApp: Bool) async throws {
        try await withHarness(defaultOwner: withDefaultApp ? IDs.bot : nil) { (h: Harness) async throws in
            let psid = try await h.userOwnedByBot(withDefaultApp: withDefaultApp)
            let knobs = try await h.control("POST", "/control/faults", body: #"{"request_control_only_without_default_app":true}"#)
            #expect(knobs.json["request_control_only_without_default_app"] == .bool(true))
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            let before = await h.receiver.events(for: IDs.agentApp).count
            let ask = try await h.graph("POST", "/me/request_thread_control", body: Harness.recipient(psid), app: IDs.agentApp)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            let request = await h.receiver.events(for: IDs.bot).last { $0.event["request_thread_control"] != nil }
            if withDefaultApp {
                #expect(ask.status == 400 && ask.errorCode == 10)
                #expect(ask.json["error"]?["message"]?.string?.contains("Handover Protocol APIs disabled") == true)
                #expect(request == nil)
            } else {
                #expect(ask.status == 200)
                // Delivered to the owner only, on messaging; nobody else hears of it.
                #expect(request?.channel == "messaging")
                #expect(request?.event["request_thread_control"]?["requested_owner_app_id"]?.string == IDs.agentApp)
                #expect(await h.receiver.events(for: IDs.agentApp).count == before)
            }
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == IDs.bot)
        }
    }

    @Test(arguments: [true, false])
    func idleThreadsTakeSendsFromTheDefaultAppOnly(withDefaultApp: Bool) async throws {
        try await withHarness(defaultOwner: withDefaultApp ? IDs.bot : nil) { (h: Harness) async throws in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            if withDefaultApp {
                // The default app releasing makes the thread idle.
                #expect(try await h.graph("POST", "/me/release_thread_control", body: Harness.recipient(psid)).status == 200)
            }
            await h.simulator.userSends(text: "anyone?", page: IDs.pageA, user: psid)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            // With a default app, the idle thread's user input goes to it on messaging, to others on standby.
            #expect(await h.receiver.events(for: IDs.agentApp).last?.channel == (withDefaultApp ? "standby" : "messaging"))
            let agentSend = try await h.graph("POST", "/me/messages", body: Harness.text(psid, "agent here"), app: IDs.agentApp)
            let typing = try await h.graph("POST", "/me/messages", body: Harness.recipient(psid, [.init("sender_action", .string("typing_on"))]), app: IDs.agentApp)
            if withDefaultApp {
                #expect(agentSend.errorCode == 10 && agentSend.errorSubcode == 2018300)
                #expect(typing.errorSubcode == 2018300)
                #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == nil)
                #expect(try await h.graph("POST", "/me/messages", body: Harness.text(psid, "bot here")).status == 200)
                #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == IDs.bot)
            } else {
                #expect(agentSend.status == 200 && typing.status == 200)
                #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == IDs.agentApp)
            }
            let calls = await h.simulator.sendCalls(page: IDs.pageA, user: psid)
            #expect(calls.first?.ownerAtCall == nil && calls.first?.appID == IDs.agentApp)
            #expect(calls.first?.accepted == !withDefaultApp)
            #expect(calls.first?.code == (withDefaultApp ? 10 : nil))
            let claim = await h.simulator.timeline(page: IDs.pageA, user: psid).compactMap(\.control).last
            #expect(claim?.action == .claimBySend && claim?.to == (withDefaultApp ? IDs.bot : IDs.agentApp))
            let overHTTP = try await h.control("GET", "/control/users/\(psid)/calls")
            let firstSend = overHTTP.json.array?.first { $0["endpoint"]?.string == "messages" }
            #expect(firstSend?["app_id"]?.string == IDs.agentApp && firstSend?["owner_at_call"] == nil)
            #expect(firstSend?["accepted"] == .bool(!withDefaultApp))
        }
    }

    @Test(arguments: [true, false])
    func onlyTheUsersMessagesRenewControl(withDefaultApp: Bool) async throws {
        try await withHarness(defaultOwner: withDefaultApp ? IDs.bot : nil) { (h: Harness) async throws in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            await h.simulator.userSends(text: "hi", page: IDs.pageA, user: psid)
            // The agent app gets control (takes from the default app, or claims the idle thread).
            try await h.giveAgentControl(of: psid, withDefaultApp: withDefaultApp)
            let expiry = await h.simulator.controlExpiry(page: IDs.pageA, user: psid)
            await h.simulator.advanceClock(by: .seconds(20 * 3600))
            #expect(try await h.graph("POST", "/me/messages", body: Harness.text(psid, "still here"), app: IDs.agentApp).status == 200)
            #expect(await h.simulator.controlExpiry(page: IDs.pageA, user: psid) == expiry)  // the app's send did not renew
            await h.simulator.advanceClock(by: .seconds(4 * 3600 + 1))
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == (withDefaultApp ? IDs.bot : nil))

            // A user message does renew it.
            let second = await h.simulator.createUser(page: IDs.pageA)
            await h.simulator.userSends(text: "hi", page: IDs.pageA, user: second)
            try await h.giveAgentControl(of: second, withDefaultApp: withDefaultApp)
            await h.simulator.advanceClock(by: .seconds(20 * 3600))
            await h.simulator.userSends(text: "are you there?", page: IDs.pageA, user: second)
            await h.simulator.advanceClock(by: .seconds(4 * 3600 + 1))
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: second) == IDs.agentApp)
        }
    }

    @Test(arguments: [true, false])
    func inboxRepliesAsEchoesOnlyOnAPageWithoutDefaultApp(withDefaultApp: Bool) async throws {
        let knobs = SimulatorConfiguration.Knobs(inboxRepliesAsEchoesOnly: true)
        try await withHarness(defaultOwner: withDefaultApp ? IDs.bot : nil, knobs: knobs) { (h: Harness) async throws in
            let psid = try await h.userOwnedByBot(withDefaultApp: withDefaultApp)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            let before = await h.receiver.events(for: IDs.bot).count
            let mid = try await h.simulator.agentReplies(text: "Maria here", page: IDs.pageA, user: psid)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            let seen = Array(await h.receiver.events(for: IDs.bot).dropFirst(before))
            let echo = try #require(seen.last)
            #expect(echo.channel == "standby" && echo.event["message"]?["mid"]?.string == mid)
            #expect(echo.event["message"]?["app_id"] == .int(263_902_037_430_900))
            let takes = seen.filter { $0.event["take_thread_control"] != nil }
            #expect(takes.count == (withDefaultApp ? 1 : 0))
            #expect(seen.count == (withDefaultApp ? 2 : 1))
            // Either way the Inbox now owns the thread: the bot is refused.
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == IDs.inbox)
            #expect(try await h.graph("POST", "/me/messages", body: Harness.text(psid, "bot?")).errorSubcode == 2018300)
        }
    }
}

import BatonSimulator
import BatonTestSupport
import Testing

@Suite("Send API")
struct SendAPITests {
    @Test func authenticationErrorsUseMetaEnvelopes() async throws {
        try await withHarness { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            let badToken = try await h.graph("POST", "/me/messages", body: Harness.text(psid, "hi"), token: "nope")
            #expect(badToken.status == 400)
            #expect(badToken.errorCode == 190)
            #expect(badToken.json["error"]?["fbtrace_id"]?.string != nil)
            let badProof = try await h.graph("POST", "/me/messages", body: Harness.text(psid, "hi"), proof: "00ff")
            #expect(badProof.status == 400)
            #expect(badProof.errorCode == 100)
            #expect(badProof.json["error"]?["message"]?.string == "Invalid appsecret_proof provided in the API argument")
        }
    }

    @Test func validationErrors() async throws {
        try await withHarness { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            await h.simulator.userSends(text: "hi", page: IDs.pageA, user: psid)
            let unknown = try await h.graph("POST", "/me/messages", body: Harness.text("1234567890123456", "hi"))
            #expect(unknown.errorCode == 100 && unknown.errorSubcode == 2018001)
            let wrongPage = try await h.graph("POST", "/me/messages", body: Harness.text(psid, "hi"), token: IDs.tokenB)
            #expect(wrongPage.errorSubcode == 2018001)

            let noType = JSONValue.object([
                .init("recipient", .object([.init("id", .string(psid))])), .init("message", .object([.init("text", .string("x"))])),
            ])
            #expect(try await h.graph("POST", "/me/messages", body: noType).errorCode == 100)
            let long = try await h.graph("POST", "/me/messages", body: Harness.text(psid, String(repeating: "é", count: 2001)))
            #expect(long.errorCode == 100)
            #expect(try await h.graph("POST", "/me/messages", body: Harness.text(psid, String(repeating: "é", count: 2000))).status == 200)

            let replies = JSONValue.array((0..<14).map { i in
                .object([.init("content_type", .string("text")), .init("title", .string("t\(i)")), .init("payload", .string("P\(i)"))])
            })
            let tooMany = JSONValue.object([
                .init("recipient", .object([.init("id", .string(psid))])), .init("messaging_type", .string("RESPONSE")),
                .init("message", .object([.init("text", .string("pick")), .init("quick_replies", replies)])),
            ])
            #expect(try await h.graph("POST", "/me/messages", body: tooMany).errorCode == 100)

            let both = Harness.text(psid, "x", extra: [.init("sender_action", .string("typing_on"))])
            #expect(try await h.graph("POST", "/me/messages", body: both).errorCode == 100)
            let typing = try await h.graph("POST", "/v25.0/\(IDs.pageA)/messages", body: Harness.recipient(psid, [.init("sender_action", .string("typing_on"))]))
            #expect(typing.status == 200)
            #expect(typing.json["recipient_id"]?.string == psid)
            #expect(typing.json["message_id"] == nil)
            // Any version prefix, or none.
            #expect(try await h.graph("POST", "/me/messages", body: Harness.text(psid, "plain"), unversioned: true).status == 200)
            #expect(try await h.graph("GET", "/v3.2/me/thread_owner", query: "&recipient=\(psid)").status == 200)
            #expect(try await h.graph("POST", "/me/nonsense", body: Harness.text(psid, "x")).errorCode == 100)

            let refused = await h.simulator.timeline(page: IDs.pageA, user: psid).compactMap(\.refused)
            #expect(refused.count == 5)  // wrong page, messaging_type, length, quick replies, message+sender_action
        }
    }

    @Test func fixtureRequestsAreAcceptedAsIs() async throws {
        try await withHarness { h in
            for psid in ["5012345678901234", "4987654321098765"] {
                await h.simulator.addUser(psid: psid, page: IDs.pageA)
                await h.simulator.userSends(text: "hi", page: IDs.pageA, user: psid)
            }
            for name in ["send-text-response-request.json", "send-quick-replies-request.json", "send-update-request.json", "send-human-agent-tag-request.json", "send-sender-action-mark-seen-request.json"] {
                let request = try fixture(name)
                let reply = try await h.graph("POST", try #require(request["path"]?.string), body: request["body"])
                #expect(reply.status == 200, "\(name): \(reply.json)")
            }
            let template = try fixture("send-button-template-request.json")
            let reply = try await h.graph("POST", "/me/messages", body: template["body"])
            #expect(reply.status == 200)
            let sent = await h.simulator.sentMessages(page: IDs.pageA, user: "4987654321098765")
            #expect(sent.last?.attachmentType == "template")
            #expect(sent.last?.attachmentPayload?.contains("TRACK_ORDER:48213") == true)
        }
    }

    @Test func onlyTheOwnerMaySend() async throws {
        try await withHarness(defaultOwner: IDs.bot) { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            await h.simulator.userSends(text: "hi", page: IDs.pageA, user: psid)
            let reply = try await h.graph("POST", "/me/messages", body: Harness.text(psid, "I am not the owner"), app: IDs.agentApp)
            #expect(reply.status == 400)
            #expect(reply.errorCode == 10)
            #expect(reply.errorSubcode == 2018300)
            let expected = try fixture("graph-error-another-app-controls-thread.json")
            #expect(reply.json["error"]?["message"] == expected["error"]?["message"])
            #expect(reply.json["error"]?["type"]?.string == "OAuthException")
            let refused = await h.simulator.timeline(page: IDs.pageA, user: psid).last?.refused
            #expect(refused?.appID == IDs.agentApp && refused?.subcode == 2018300)
            #expect(await h.simulator.sentMessages(page: IDs.pageA, user: psid).isEmpty)
            #expect(try await h.graph("POST", "/me/messages", body: Harness.text(psid, "owner")).status == 200)
        }
    }

    @Test func idleThreadIsClaimedBySendAndEchoesCarryAppIDAndMetadata() async throws {
        try await withHarness(defaultOwner: nil) { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == nil)
            await h.simulator.userSends(text: "hello", page: IDs.pageA, user: psid)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            // Idle: every subscribed app gets the message on messaging.
            #expect(await h.receiver.events(for: IDs.bot).map(\.channel) == ["messaging"])
            #expect(await h.receiver.events(for: IDs.agentApp).map(\.channel) == ["messaging"])

            let reply = try await h.graph("POST", "/me/messages", body: Harness.text(psid, "Sure - can you share your order number?", metadata: "bot:turn=7f3e2a"))
            #expect(reply.status == 200)
            let mid = try #require(reply.json["message_id"]?.string)
            #expect(reply.json["recipient_id"]?.string == psid)
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == IDs.bot)
            #expect(await h.simulator.timeline(page: IDs.pageA, user: psid).contains { $0.control?.action == .claimBySend && $0.control?.to == IDs.bot })

            let botEcho = try await h.lastMessagingEvent(for: IDs.bot)
            let echoEvent = try fixtureEvent("webhook-message-echo-own-app.json")
            #expect(botEcho.keys == echoEvent.keys)
            #expect(botEcho["message"]?.keys == echoEvent["message"]?.keys)
            #expect(botEcho["message"]?["app_id"] == .int(712_345_678_901_234))
            #expect(botEcho["message"]?["metadata"]?.string == "bot:turn=7f3e2a")
            #expect(botEcho["message"]?["mid"]?.string == mid)
            #expect(botEcho["sender"]?["id"]?.string == IDs.pageA)
            #expect(botEcho["recipient"]?["id"]?.string == psid)
            let agentEcho = try #require(await h.receiver.events(for: IDs.agentApp).last)
            #expect(agentEcho.channel == "standby")
            #expect(agentEcho.event["message"]?["is_echo"] == .bool(true))

            // Now the agent app is refused, and later user messages go to it on standby.
            #expect(try await h.graph("POST", "/me/messages", body: Harness.text(psid, "me too"), app: IDs.agentApp).errorSubcode == 2018300)
            await h.simulator.userSends(text: "again", page: IDs.pageA, user: psid)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            #expect(await h.receiver.events(for: IDs.agentApp).last?.channel == "standby")
            #expect(await h.receiver.events(for: IDs.bot).last?.channel == "messaging")
        }
    }

    @Test func messagingWindowAndHumanAgentTag() async throws {
        try await withHarness { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            // No user message yet: the window is closed.
            #expect(try await h.graph("POST", "/me/messages", body: Harness.text(psid, "hi")).errorSubcode == 2018278)
            await h.simulator.userSends(text: "hi", page: IDs.pageA, user: psid)
            #expect(try await h.graph("POST", "/me/messages", body: Harness.text(psid, "inside")).status == 200)
            await h.simulator.advanceClock(by: .seconds(25 * 3600))
            let outside = try await h.graph("POST", "/me/messages", body: Harness.text(psid, "late"))
            #expect(outside.status == 400 && outside.errorCode == 10 && outside.errorSubcode == 2018278)
            let expected = try fixture("graph-error-outside-allowed-window.json")
            #expect(outside.json["error"]?["message"] == expected["error"]?["message"])
            let tagged = Harness.text(psid, "human follow-up", type: "MESSAGE_TAG", extra: [.init("tag", .string("HUMAN_AGENT"))])
            #expect(try await h.graph("POST", "/me/messages", body: tagged).status == 200)
            await h.simulator.advanceClock(by: .seconds(7 * 24 * 3600))
            #expect(try await h.graph("POST", "/me/messages", body: tagged).errorSubcode == 2018278)
            let deprecated = Harness.text(psid, "x", type: "MESSAGE_TAG", extra: [.init("tag", .string("ACCOUNT_UPDATE"))])
            #expect(try await h.graph("POST", "/me/messages", body: deprecated).errorCode == 100)
        }
    }

    @Test func transientFailureKnobFailsBeforeDoingAnything() async throws {
        let knobs = SimulatorConfiguration.Knobs(transientSendFailureRate: 1, seed: 7)
        try await withHarness(defaultOwner: nil, knobs: knobs) { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            await h.simulator.userSends(text: "hi", page: IDs.pageA, user: psid)
            var codes: Set<Int> = []
            for _ in 0..<12 {
                let reply = try await h.graph("POST", "/me/messages", body: Harness.text(psid, "x"))
                let code = try #require(reply.errorCode)
                codes.insert(code)
                #expect(reply.json["error"]?["is_transient"] == .bool(true))
                #expect(reply.status == (code == 2 ? 500 : 400))
            }
            #expect(codes.isSubset(of: [1200, 2, 613]) && codes.count > 1)
            #expect(await h.simulator.sentMessages(page: IDs.pageA, user: psid).isEmpty)
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == nil)
            // Handover calls are not affected.
            #expect(try await h.graph("POST", "/me/take_thread_control", body: Harness.recipient(psid)).status == 200)
        }
    }

    @Test func conversationsListEveryMessageNewestFirst() async throws {
        try await withHarness { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            let first = await h.simulator.userSends(text: "where is my order", page: IDs.pageA, user: psid)
            let sent = try await h.graph("POST", "/me/messages", body: Harness.text(psid, "checking", metadata: "turn-1"))
            let agent = try await h.simulator.agentReplies(text: "Hi, Maria here", page: IDs.pageA, user: psid)
            let query = "&user_id=\(psid)&fields=messages%7Bmessage,created_time%7D"
            for path in ["/\(IDs.pageA)/conversations", "/me/conversations"] {
                let reply = try await h.graph("GET", path, query: query)
                #expect(reply.status == 200)
                let thread = try #require(reply.json["data"]?.array?.first)
                #expect(thread["id"]?.string?.hasPrefix("t_") == true)
                let messages = thread["messages"]?["data"]?.array ?? []
                #expect(messages.compactMap { $0["id"]?.string } == [agent, sent.json["message_id"]?.string ?? "", first])
                #expect(messages.compactMap { $0["message"]?.string } == ["Hi, Maria here", "checking", "where is my order"])
                let created = messages.first?["created_time"]?.string ?? ""
                #expect(created.count == 24 && created.hasSuffix("+0000"))
            }
            let other = try await h.graph("GET", "/me/conversations", query: "&user_id=9999999999999999")
            #expect(other.json["data"]?.array?.isEmpty == true)
        }
    }
}

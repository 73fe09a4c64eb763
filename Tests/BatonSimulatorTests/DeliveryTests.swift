import BatonSimulator
import BatonTestSupport
import Testing

@Suite("Webhook delivery knobs")
struct DeliveryTests {
    @Test func batchingPutsSeveralEventsInOnePost() async throws {
        let knobs = SimulatorConfiguration.Knobs(maxEventsPerDelivery: 10, batchWindow: .milliseconds(300))
        try await withHarness(agentSubscribed: false, knobs: knobs) { h in
            let a = await h.simulator.createUser(page: IDs.pageA)
            let b = await h.simulator.createUser(page: IDs.pageA)
            let c = await h.simulator.createUser(page: IDs.pageB)
            await h.simulator.userSends(text: "one", page: IDs.pageA, user: a)
            await h.simulator.userSends(text: "two", page: IDs.pageA, user: b)
            await h.simulator.userSends(text: "three", page: IDs.pageB, user: c)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            let bodies = await h.receiver.received
            #expect(bodies.count == 1)
            let entries = bodies.first?.json["entry"]?.array ?? []
            #expect(entries.count == 3)
            #expect(entries.compactMap { $0["id"]?.string } == [IDs.pageA, IDs.pageA, IDs.pageB])
            #expect(entries.allSatisfy { $0["messaging"]?.array?.count == 1 })
            #expect(bodies.first?.signatureValid == true)
        }
    }

    @Test func reorderShufflesEntriesButKeepsTimestamps() async throws {
        let knobs = SimulatorConfiguration.Knobs(maxEventsPerDelivery: 20, batchWindow: .milliseconds(300), reorderWithinBatch: true, seed: 42)
        try await withHarness(agentSubscribed: false, knobs: knobs) { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            var mids: [String] = []
            for i in 0..<12 { mids.append(await h.simulator.userSends(text: "m\(i)", page: IDs.pageA, user: psid)) }
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            let events = await h.receiver.events(for: IDs.bot).map(\.event)
            #expect(events.count == 12)
            let delivered = events.compactMap { $0["message"]?["mid"]?.string }
            #expect(delivered != mids)
            #expect(Set(delivered) == Set(mids))
            let sorted = events.sorted { ($0["timestamp"]?.int ?? 0) < ($1["timestamp"]?.int ?? 0) }
            #expect(sorted.compactMap { $0["message"]?["mid"]?.string } == mids)
        }
    }

    @Test func duplicateKnobResendsTheSameBytes() async throws {
        let knobs = SimulatorConfiguration.Knobs(duplicateDeliveryRate: 1)
        try await withHarness(agentSubscribed: false, knobs: knobs) { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            await h.simulator.userSends(text: "once", page: IDs.pageA, user: psid)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            let bodies = await h.receiver.received
            #expect(bodies.count == 2)
            #expect(bodies.first?.raw == bodies.last?.raw)
            #expect(bodies.first?.signature == bodies.last?.signature)
            #expect(await h.simulator.deliveryLog().map(\.isDuplicate) == [false, true])
        }
    }

    @Test func failedDeliveriesAreRetriedUntilAcknowledged() async throws {
        let knobs = SimulatorConfiguration.Knobs(initialRedeliveryBackoff: .milliseconds(10), maxRedeliveryBackoff: .milliseconds(40))
        try await withHarness(agentSubscribed: false, knobs: knobs, failFirst: 3) { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            let first = await h.simulator.userSends(text: "first", page: IDs.pageA, user: psid)
            let second = await h.simulator.userSends(text: "second", page: IDs.pageA, user: psid)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            #expect(await h.receiver.requestCount == 5)
            let log = await h.simulator.deliveryLog()
            #expect(log.map(\.attempt) == [1, 2, 3, 4, 1])
            #expect(log.map(\.status) == [500, 500, 500, 200, 200])
            // Order is kept: the second message waits for the first.
            let mids = await h.receiver.events(for: IDs.bot).compactMap { $0.event["message"]?["mid"]?.string }
            #expect(mids == [first, second])
        }
    }

    @Test func boundedAttemptsGiveUpAndUnreachableAppsTimeOut() async throws {
        let knobs = SimulatorConfiguration.Knobs(maxDeliveryAttempts: 2, initialRedeliveryBackoff: .milliseconds(10))
        try await withHarness(agentSubscribed: false, knobs: knobs, failFirst: 10) { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            await h.simulator.userSends(text: "lost", page: IDs.pageA, user: psid)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            #expect(await h.simulator.deliveryLog().count == 2)
            #expect(await h.receiver.received.isEmpty)
        }
        try await withHarness(agentSubscribed: false, failFirst: 1_000) { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            await h.simulator.userSends(text: "stuck", page: IDs.pageA, user: psid)
            await #expect(throws: SimulatorError.self) {
                try await h.simulator.waitUntilQuiet(timeout: .milliseconds(200))
            }
        }
    }

    @Test func postbacksLoseTheirPayloadOnStandby() async throws {
        try await withHarness(defaultOwner: IDs.bot) { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            await h.simulator.userPostback(title: "Track my order", payload: "TRACK_ORDER:48213", page: IDs.pageA, user: psid)
            await h.simulator.userSendsAttachment(type: "image", url: "https://example.com/a.jpg", page: IDs.pageA, user: psid)
            await h.simulator.userSends(text: "Talk to a person", quickReplyPayload: "HANDOVER_TO_HUMAN", page: IDs.pageA, user: psid)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            let bot = await h.receiver.events(for: IDs.bot)
            let agent = await h.receiver.events(for: IDs.agentApp)
            #expect(bot[0].event["postback"]?["payload"]?.string == "TRACK_ORDER:48213")
            #expect(bot[0].event["postback"]?["mid"]?.string != nil)
            #expect(agent[0].channel == "standby" && agent[0].event["postback"]?["payload"] == nil)
            #expect(agent[0].event["postback"]?["title"]?.string == "Track my order")
            #expect(bot[1].event["message"]?["attachments"]?.array?.first?["payload"]?["url"]?.string == "https://example.com/a.jpg")
            #expect(bot[2].event["message"]?["quick_reply"]?["payload"]?.string == "HANDOVER_TO_HUMAN")
            #expect(agent[2].event["message"]?["quick_reply"]?["payload"]?.string == "HANDOVER_TO_HUMAN")
        }
    }

    @Test func eventStreamsAndWaitForEntry() async throws {
        try await withHarness { h in
            let stream = await h.simulator.makeEventStream()
            let psid = await h.simulator.createUser(page: IDs.pageA)
            await h.simulator.userSends(text: "hi", page: IDs.pageA, user: psid)
            let after = await h.simulator.lastSequence
            async let waited = h.simulator.waitForEntry(after: after, timeout: .seconds(5)) { $0.kind == .send }
            let reply = try await h.graph("POST", "/me/messages", body: Harness.text(psid, "hello"))
            let sent = try await waited
            #expect(sent.sent?.mid == reply.json["message_id"]?.string)
            #expect(sent.sent?.text == "hello" && sent.sent?.messagingType == "RESPONSE")
            var iterator = stream.makeAsyncIterator()
            #expect(await iterator.next()?.kind == .userMessage)
            #expect(await iterator.next()?.kind == .send)
            await #expect(throws: SimulatorError.self) {
                _ = try await h.simulator.waitForEntry(timeout: .milliseconds(50)) { $0.kind == .refused }
            }
        }
    }
}

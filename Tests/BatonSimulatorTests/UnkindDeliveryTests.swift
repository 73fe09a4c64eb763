import BatonSimulator
import BatonTestSupport
import Testing

@Suite("Unkind webhook delivery")
struct UnkindDeliveryTests {
    static func mids(_ events: [(channel: String, event: JSONValue)]) -> [String] {
        events.compactMap { $0.event["message"]?["mid"]?.string }
    }

    @Test func heldBackBodiesArriveAfterLaterOnes() async throws {
        // Held back for longer than the twelve sends take even on a loaded machine (150 ms was not:
        // a held body could arrive before the next one was sent, keeping the order).
        let knobs = SimulatorConfiguration.Knobs(seed: 7, holdBackRate: 0.4, lateDeliveryDelay: .seconds(2))
        try await withHarness(agentSubscribed: false, knobs: knobs) { (h: Harness) async throws in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            var sent: [String] = []
            for i in 0..<12 { sent.append(await h.simulator.userSends(text: "m\(i)", page: IDs.pageA, user: psid)) }
            try await h.simulator.waitUntilQuiet(timeout: .seconds(60))
            let delivered = Self.mids(await h.receiver.events(for: IDs.bot))
            #expect(delivered.count == sent.count && Set(delivered) == Set(sent))
            #expect(delivered != sent)
            let log = await h.simulator.deliveryLog()
            #expect(log.contains { $0.isLate && !$0.isDuplicate })
            // Timestamps still tell the true order.
            let events = await h.receiver.events(for: IDs.bot).map(\.event)
            let sorted = events.sorted { ($0["timestamp"]?.int ?? 0) < ($1["timestamp"]?.int ?? 0) }
            #expect(sorted.compactMap { $0["message"]?["mid"]?.string } == sent)
        }
    }

    @Test func lateRedeliveryComesAfterOtherBodies() async throws {
        try await withHarness(agentSubscribed: false) { (h: Harness) async throws in
            let knobs = try await h.control("POST", "/control/faults", body: #"{"late_redelivery_rate":1,"late_delivery_delay_seconds":0.3}"#)
            #expect(knobs.json["late_redelivery_rate"]?.int == 1)
            #expect(await h.simulator.liveKnobs.lateDeliveryDelay == .milliseconds(300))
            let psid = await h.simulator.createUser(page: IDs.pageA)
            let first = await h.simulator.userSends(text: "one", page: IDs.pageA, user: psid)
            let second = await h.simulator.userSends(text: "two", page: IDs.pageA, user: psid)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(60))
            let received = await h.receiver.received
            let delivered = Self.mids(await h.receiver.events(for: IDs.bot))
            // Both originals first, then both late copies (in either order: two timers race).
            #expect(delivered.count == 4 && Array(delivered.prefix(2)) == [first, second])
            #expect(Set(delivered.suffix(2)) == [first, second])
            // Same bytes and signature, marked late duplicates in the log.
            #expect(received.suffix(2).contains { $0.raw == received[0].raw && $0.signature == received[0].signature })
            let log = await h.simulator.deliveryLog()
            #expect(log.map(\.isDuplicate) == [false, false, true, true])
            #expect(log.map(\.isLate) == [false, false, true, true])
            #expect(try await h.control("POST", "/control/faults", body: #"{"late_redelivery_rate":2}"#).status == 400)
            #expect(try await h.control("POST", "/control/faults", body: #"{"nonsense":1}"#).status == 400)
        }
    }

    @Test func eventsCanShareAMillisecond() async throws {
        try await withHarness(agentSubscribed: false, knobs: .init(sameMillisecondRate: 0.5)) { (h: Harness) async throws in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            var sent: [String] = []
            for i in 0..<20 { sent.append(await h.simulator.userSends(text: "m\(i)", page: IDs.pageA, user: psid)) }
            try await h.simulator.waitUntilQuiet(timeout: .seconds(60))
            let events = await h.receiver.events(for: IDs.bot).map(\.event)
            let stamps = events.compactMap { $0["timestamp"]?.int }
            #expect(stamps.count == 20)
            #expect(zip(stamps, stamps.dropFirst()).allSatisfy { $0 <= $1 })
            #expect(Set(stamps).count < stamps.count)
            #expect(Self.mids(events.map { (channel: "messaging", event: $0) }) == sent)
        }
        // Off again at run time: every timestamp distinct.
        try await withHarness(agentSubscribed: false, knobs: .init(sameMillisecondRate: 1)) { (h: Harness) async throws in
            _ = try await h.control("POST", "/control/faults", body: #"{"same_millisecond_rate":0}"#)
            let psid = await h.simulator.createUser(page: IDs.pageA)
            for i in 0..<5 { await h.simulator.userSends(text: "m\(i)", page: IDs.pageA, user: psid) }
            let stamps = await h.simulator.timeline(page: IDs.pageA, user: psid).map(\.timestamp)
            #expect(Set(stamps).count == 5)
        }
    }
}

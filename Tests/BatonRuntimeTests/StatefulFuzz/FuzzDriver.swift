import BatonRuntime
import BatonTestSupport
import Foundation
import Synchronization

/// One sequence: a thread (one PSID on one Page) and what happens in it.
struct FuzzPlan: Sendable {
    var page: String
    var user: String
    var script: [FuzzHappening]
    var thread: String { FuzzIDs.thread(page, user) }
}

/// One webhook body ready to post.
struct FuzzBody: Sendable {
    var bytes: [UInt8]
    var events: [FuzzEvent]
}

/// Plays a batch of sequences against Baton: happenings of all threads interleaved at
/// random, bodies built from the model's pool (reordered, duplicated, several entries and
/// Pages per body), signed and posted 8-16 at a time while Baton is still working.
struct FuzzDriver: Sendable {
    let model: FuzzMetaModel
    let url: String
    let signature: WebhookSignature

    /// Plays the plans, then delivers what is left until Baton is idle (throws after 90 s).
    func run(_ plans: [FuzzPlan], server: BatonServer, rng: inout SplitMix64) async throws {
        var cursors = Array(repeating: 0, count: plans.count)
        var remaining = Array(plans.indices)
        let limit = 8 + rng.below(9)
        try await withThrowingTaskGroup(of: Void.self) { group in
            var inFlight = 0
            while !remaining.isEmpty {
                let slot = rng.below(remaining.count)
                let index = remaining[slot]
                let plan = plans[index]
                model.apply(plan.script[cursors[index]], page: plan.page, user: plan.user)
                cursors[index] += 1
                if cursors[index] == plan.script.count { remaining.remove(at: slot) }
                guard rng.chance(50), let body = nextBody(&rng) else { continue }
                if inFlight >= limit {
                    _ = try await group.next()
                    inFlight -= 1
                }
                inFlight += launch(body, in: &group, twice: rng.chance(3))
            }
            // Deliver what Baton's own calls put in the pool, until there is nothing left to
            // deliver and Baton is idle.
            try await waitUntil("Baton is idle with every body delivered", timeout: .seconds(90)) {
                while true {
                    if inFlight >= limit || (inFlight > 0 && model.world.withLock({ $0.pool.isEmpty })) {
                        _ = try await group.next()
                        inFlight -= 1
                    } else if let body = nextBody(&rng) {
                        inFlight += launch(body, in: &group, twice: rng.chance(3))
                    } else {
                        break
                    }
                }
                return await server.isIdle() && model.world.withLock({ $0.pool.isEmpty })
            }
        }
    }

    /// Posts a body (byte-identical twice, sometimes); returns how many posts it started.
    private func launch(_ body: FuzzBody, in group: inout ThrowingTaskGroup<Void, any Error>, twice: Bool) -> Int {
        group.addTask { await post(body) }
        if twice { group.addTask { await post(body) } }
        return twice ? 2 : 1
    }

    /// Takes the next body's events from the pool and notes when their first delivery began.
    func nextBody(_ rng: inout SplitMix64) -> FuzzBody? {
        let events = model.world.withLock { world -> [FuzzEvent] in
            let events = world.takeBody()
            guard !events.isEmpty else { return [] }
            let start = world.nextSequence()
            for event in events where world.deliveries[event.serial] == nil {
                world.deliveries[event.serial] = FuzzDelivery(event: event, firstStart: start)
            }
            return events
        }
        guard !events.isEmpty else { return nil }
        return FuzzBody(bytes: Self.encode(events, rng: &rng), events: events)
    }

    /// A webhook body: events grouped into entries by Page and channel, a group sometimes
    /// split into several entries; several Pages share a body.
    static func encode(_ events: [FuzzEvent], rng: inout SplitMix64) -> [UInt8] {
        var groups: [(page: String, channel: String, events: [String])] = []
        for event in events {
            if !rng.chance(20), let index = groups.firstIndex(where: { $0.page == event.page && $0.channel == event.channel }) {
                groups[index].events.append(event.json)
            } else {
                groups.append((event.page, event.channel, [event.json]))
            }
        }
        let time = FuzzIDs.wallClock()
        let entries = groups.map { group in
            #"{"id":"\#(group.page)","time":\#(time),"\#(group.channel)":[\#(group.events.joined(separator: ","))]}"#
        }
        return Array(#"{"object":"page","entry":[\#(entries.joined(separator: ","))]}"#.utf8)
    }

    /// Posts one signed body. On 200 its events count as acknowledged; on a 5xx or a network
    /// error they go back to the pool (Meta delivers again); a 4xx is a rejection, counted.
    func post(_ body: FuzzBody) async {
        let headers = [("X-Hub-Signature-256", signature.header(for: body.bytes)), ("Content-Type", "application/json")]
        let status = (try? await http(.POST, url, headers: headers, body: body.bytes))?.status ?? 0
        model.world.withLock { world in
            if status == 200 {
                let ack = world.nextSequence()
                world.bodies += 1
                for event in body.events where world.deliveries[event.serial]?.firstAck == nil {
                    world.deliveries[event.serial]?.firstAck = ack
                }
            } else if status >= 400, status < 500 {
                world.rejected.append("HTTP \(status) for \(body.events.map(\.summary))")
            } else {
                world.pool.append(contentsOf: body.events)
            }
        }
    }
}

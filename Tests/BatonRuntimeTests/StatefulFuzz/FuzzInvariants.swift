import BatonCore
import BatonStore
import Foundation
import Synchronization

/// What the checks found over all batches: the summary line and the offending threads.
struct FuzzReport: Sendable {
    var sequences = 0
    var events = 0
    var bodies = 0
    var unprocessed: [String] = []
    var doubled: [String] = []
    var outOfOrder: [String] = []
    var spokeOverOwner: [String] = []
    var rejected: [String] = []
    var refusedNotYetProcessed = 0
    var refusedSameMoment = 0
    var refusedMisled = 0

    var line: String {
        "stateful fuzz: \(sequences) sequences, \(events) events, \(bodies) bodies; violations: trap 0, "
            + "unprocessed \(unprocessed.count), doubled \(doubled.count), out-of-order \(outOfOrder.count), "
            + "spoke-over-owner \(spokeOverOwner.count); refused sends (news not yet processed) \(refusedNotYetProcessed)"
            + ", (same moment as Baton's own pass) \(refusedSameMoment), (answering a forged timestamp or channel) "
            + "\(refusedMisled); rejected bodies \(rejected.count)"
    }

    /// The first few entries of a list of violations, for an assertion message.
    static func first(_ list: [String]) -> String { list.prefix(3).joined(separator: "\n\n") }
}

/// The invariants, checked on one batch once Baton is idle.
enum FuzzInvariants {
    /// Checks the batch's threads, adds to `report`, and forgets the batch in the model.
    static func check(_ plans: [FuzzPlan], model: FuzzMetaModel, store: any BatonStore, report: inout FuzzReport) async {
        let threads = Set(plans.map(\.thread))
        let (deliveries, calls, truths, rejected) = model.world.withLock { world in
            let deliveries = world.deliveries.values.filter { threads.contains($0.event.thread) }
            let calls = world.calls.filter { threads.contains($0.thread) }
            let truths = world.truths.filter { threads.contains($0.key) }
            world.deliveries = world.deliveries.filter { !threads.contains($0.value.event.thread) }
            world.calls.removeAll { threads.contains($0.thread) }
            world.truths = world.truths.filter { !threads.contains($0.key) }
            world.misleading = world.misleading.filter { !threads.contains(String($0.split(separator: "|").prefix(2).joined(separator: "|"))) }
            defer { world.rejected = [] }
            return (deliveries, calls, truths, world.rejected)
        }
        report.sequences += plans.count
        report.rejected += rejected
        for plan in plans {
            let key = ThreadKey(page: PageID(plan.page), user: UserID(plan.user))
            let decisions = (try? await store.decisions(in: key)) ?? []
            let outbox = (try? await store.outbox(in: key)) ?? []
            let mine = deliveries.filter { $0.event.thread == plan.thread }
            let history = "    " + (truths[plan.thread]?.history ?? []).joined(separator: "\n    ")
            let sends = calls.filter { $0.thread == plan.thread && $0.edge == "messages" }
            checkProcessed(plan, mine, decisions, history, &report)
            checkDoubled(plan, sends, decisions, history, &report)
            checkOrder(plan, mine, sends, decisions, history, &report)
            for call in calls where call.thread == plan.thread {
                switch call.verdict {
                case .spokeOverOwner(let news, let detail)?:
                    report.spokeOverOwner.append(
                        "thread \(plan.thread): send \(detail) refused; Baton had already processed: \(news)\n\(history)\n"
                            + "  Baton's decisions, in processing order:\n    "
                            + decisions.map { "\($0.eventID) \($0.kind.rawValue) \($0.channel?.rawValue ?? "-") ts=\($0.timestamp): \($0.outcome)" }
                            .joined(separator: "\n    ")
                            + "\n  Baton's Graph calls (outbox), in planned order:\n    "
                            + outbox.map {
                                "\($0.id) for event \($0.eventID): \($0.action.name) \($0.status.rawValue) after \($0.attempts) attempts"
                                    + " created \($0.createdAt.map(String.init) ?? "-")\($0.lastError.map { ": \($0)" } ?? "")"
                            }.joined(separator: "\n    "))
                case .newsNotYetProcessed?: report.refusedNotYetProcessed += 1
                case .sameMoment?: report.refusedSameMoment += 1
                case .misled?: report.refusedMisled += 1
                case nil: break
                }
            }
        }
        if let pending = try? await store.backlog().inboxPending, pending > 0 {
            report.unprocessed.append("\(pending) events still pending in the inbox after the batch")
        }
    }

    /// Every acknowledged event is processed exactly once: one decision per distinct dedupe key.
    static func checkProcessed(
        _ plan: FuzzPlan, _ mine: [FuzzDelivery], _ decisions: [DecisionRecord], _ history: String, _ report: inout FuzzReport
    ) {
        let keys = Set(mine.filter { $0.firstAck != nil }.map(\.event.dedupeKey))
        report.events += mine.count
        guard keys.count != decisions.count else { return }
        report.unprocessed.append(
            "thread \(plan.thread): \(keys.count) distinct acknowledged events, \(decisions.count) decisions: "
                + decisions.map { "\($0.eventID) \($0.kind.rawValue) ts=\($0.timestamp)" }.joined(separator: ", ") + "\n\(history)")
    }

    /// A user message gets at most one bot send.
    static func checkDoubled(
        _ plan: FuzzPlan, _ sends: [FuzzCall], _ decisions: [DecisionRecord], _ history: String, _ report: inout FuzzReport
    ) {
        let perEvent = Dictionary(grouping: sends.compactMap(\.eventID), by: { $0 })
        for (eventID, list) in perEvent where list.count > 1 {
            let decision = decisions.first { $0.eventID == eventID }
            report.doubled.append(
                "thread \(plan.thread): \(list.count) sends for event \(eventID) (\(decision?.kind.rawValue ?? "?") ts=\(decision?.timestamp ?? 0))\n\(history)")
        }
    }

    /// For user messages A, B with ts(A) < ts(B), where A was acknowledged before any body
    /// carrying B was posted (so A was pending or done when B arrived), A's answer comes first.
    static func checkOrder(
        _ plan: FuzzPlan, _ mine: [FuzzDelivery], _ sends: [FuzzCall], _ decisions: [DecisionRecord], _ history: String,
        _ report: inout FuzzReport
    ) {
        let messages = mine.filter { $0.event.isUserMessage && $0.firstAck != nil }
        let byStamp = Dictionary(grouping: messages, by: { "\($0.event.kind) \($0.event.timestamp)" })
        var answered: [(delivery: FuzzDelivery, order: Int)] = []
        for decision in decisions {
            guard let order = sends.first(where: { $0.eventID == decision.eventID })?.order,
                let candidates = byStamp["\(decision.kind.rawValue) \(decision.timestamp)"], candidates.count == 1
            else { continue }
            answered.append((candidates[0], order))
        }
        for a in answered {
            for b in answered where a.delivery.event.timestamp < b.delivery.event.timestamp && a.order > b.order {
                guard let ackA = a.delivery.firstAck, ackA < b.delivery.firstStart else { continue }
                report.outOfOrder.append(
                    "thread \(plan.thread): \(a.delivery.event.summary) answered after \(b.delivery.event.summary)\n\(history)")
            }
        }
    }
}

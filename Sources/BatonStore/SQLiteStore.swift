public import BatonCore
import Foundation
import Synchronization

/// The embedded store: one SQLite file in WAL mode, commits grouped across callers.
public final class SQLiteStore: BatonStore {
    let executor: SQLiteExecutor
    /// The database file.
    public let path: String

    /// Opens (creating when needed) the database at `path` and brings its schema up to date.
    ///
    /// - Parameters:
    ///   - path: the SQLite file.
    ///   - synchronousFull: fsync on every commit (`synchronous=FULL`), so a power loss
    ///     loses nothing acknowledged; `false` uses NORMAL, which a process crash cannot hurt.
    public init(path: String, synchronousFull: Bool = true) async throws(StoreError) {
        self.path = path
        let connection = try SQLiteConnection(path: path)
        try connection.execute("PRAGMA journal_mode=WAL")
        try connection.execute("PRAGMA synchronous=\(synchronousFull ? "FULL" : "NORMAL")")
        try connection.execute("PRAGMA foreign_keys=ON")
        try SQLiteSchema.migrate(connection)
        self.executor = SQLiteExecutor(connection: connection)
    }

    /// Transactions committed so far (each may hold many callers' writes).
    public var commitCount: Int { executor.commitCount.load(ordering: .relaxed) }
    /// Write jobs run so far.
    public var writeCount: Int { executor.jobCount.load(ordering: .relaxed) }

    public func recordInbound(_ events: [InboundEvent]) async throws(StoreError) -> [Bool] {
        let now = Self.nowMilliseconds()
        let contents = try events.map { event throws(StoreError) in try InboxEncoding.encode(event.content) }
        return try await executor.write { db throws(StoreError) in
            var inserted: [Bool] = []
            for (event, content) in zip(events, contents) {
                try db.query(
                    """
                    INSERT INTO inbox(dedupe_key, page_id, user_id, channel, kind, event_ts, received_at, raw_json, content)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(dedupe_key) DO NOTHING
                    """,
                    [
                        .text(event.dedupeKey), .text(event.thread.page.rawValue), .text(event.thread.user.rawValue),
                        .text(event.channel?.rawValue ?? EventTag.ignored.rawValue), .text(event.kind.rawValue),
                        .integer(event.timestamp), .integer(now), .text(event.rawJSON), .text(content),
                    ])
                inserted.append(db.changes > 0)
            }
            return inserted
        }
    }

    public func threadsWithPendingWork() async throws(StoreError) -> [ThreadKey] {
        try await executor.read { db throws(StoreError) in
            let rows = try db.query(
                """
                SELECT page_id, user_id, MIN(first) FROM (
                    SELECT page_id, user_id, MIN(id) AS first FROM inbox WHERE processed_at IS NULL GROUP BY page_id, user_id
                    UNION ALL
                    SELECT page_id, user_id, MIN(event_id) AS first FROM outbox WHERE status = 'pending' GROUP BY page_id, user_id
                ) GROUP BY page_id, user_id ORDER BY 3
                """)
            return rows.map { ThreadKey(page: PageID($0.text(0) ?? ""), user: UserID($0.text(1) ?? "")) }
        }
    }

    public func nextPendingEvent(in thread: ThreadKey) async throws(StoreError) -> StoredEvent? {
        try await executor.read { db throws(StoreError) in
            let rows = try db.query(
                """
                SELECT id, dedupe_key, channel, content, event_ts, raw_json, received_at FROM inbox
                WHERE page_id = ? AND user_id = ? AND processed_at IS NULL
                ORDER BY event_ts, id LIMIT 1
                """,
                [.text(thread.page.rawValue), .text(thread.user.rawValue)])
            guard let row = rows.first else { return nil }
            let rawJSON = row.text(5) ?? ""
            let content = try InboxEncoding.decode(row.text(3), legacyChannel: row.text(2) ?? "", page: thread.page, rawJSON: rawJSON)
            let event = InboundEvent(
                dedupeKey: row.text(1) ?? "", thread: thread, timestamp: row.int(4) ?? 0, content: content, rawJSON: rawJSON)
            return StoredEvent(id: row.int(0) ?? 0, event: event, receivedAt: row.int(6))
        }
    }

    public func threadState(_ thread: ThreadKey) async throws(StoreError) -> ThreadState? {
        try await executor.read { db throws(StoreError) in
            let rows = try db.query(
                "SELECT state_json FROM threads WHERE page_id = ? AND user_id = ?",
                [.text(thread.page.rawValue), .text(thread.user.rawValue)])
            guard let json = rows.first?.text(0) else { return nil }
            return try Self.decodeState(json)
        }
    }

    public func saveThreadState(_ state: ThreadState) async throws(StoreError) {
        let json = try Self.encode(state)
        let now = Self.nowMilliseconds()
        try await executor.write { db throws(StoreError) in
            try Self.upsertThread(db, state: state, json: json, now: now)
        }
    }

    public func commit(_ step: ProcessingStep) async throws(StoreError) {
        let stateJSON = try Self.encode(step.state)
        let decisionJSON = try Self.encode(step.outcome)
        let actions = try step.actions.map { action throws(StoreError) in try Self.encode(action) }
        let now = Self.nowMilliseconds()
        try await executor.write { db throws(StoreError) in
            try db.query(
                """
                UPDATE inbox SET processed_at = ?, outcome = ?, decision = ?, quarantined_at = ?
                WHERE id = ? AND processed_at IS NULL
                """,
                [
                    .integer(now), .text(step.outcome.description), .text(decisionJSON),
                    step.quarantined ? .integer(now) : .null, .integer(step.eventID),
                ])
            guard db.changes == 1 else {
                throw StoreError(.statement, "event \(step.eventID) is unknown or already processed")
            }
            try Self.upsertThread(db, state: step.state, json: stateJSON, now: now)
            for (index, action) in actions.enumerated() {
                try db.query(
                    """
                    INSERT INTO outbox(page_id, user_id, event_id, action_json, idempotency_key, status, attempts, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)
                    """,
                    [
                        .text(step.state.key.page.rawValue), .text(step.state.key.user.rawValue), .integer(step.eventID),
                        .text(action), .text("e\(step.eventID).\(index)"), .integer(now), .integer(now),
                    ])
            }
        }
    }

    public func pendingOutbox(in thread: ThreadKey) async throws(StoreError) -> [OutboxItem] {
        try await outboxItems(thread, onlyPending: true)
    }

    public func outbox(in thread: ThreadKey) async throws(StoreError) -> [OutboxItem] {
        try await outboxItems(thread, onlyPending: false)
    }

    public func finishOutbox(_ id: Int64, status: OutboxStatus, error: String?, state: ThreadState?) async throws(StoreError) {
        let stateJSON = try state.map { state throws(StoreError) in try Self.encode(state) }
        let now = Self.nowMilliseconds()
        try await executor.write { db throws(StoreError) in
            try db.query(
                "UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, updated_at = ? WHERE id = ?",
                [.text(status.rawValue), error.map { .text($0) } ?? .null, .integer(now), .integer(id)])
            if let state, let stateJSON {
                try Self.upsertThread(db, state: state, json: stateJSON, now: now)
            }
        }
    }

    public func deferOutbox(_ id: Int64, until notBefore: Int64, error: String?, state: ThreadState?) async throws(StoreError) {
        let stateJSON = try state.map { state throws(StoreError) in try Self.encode(state) }
        let now = Self.nowMilliseconds()
        try await executor.write { db throws(StoreError) in
            try db.query(
                """
                UPDATE outbox SET attempts = attempts + 1, last_error = ?, not_before = ?, attempt_started_at = NULL,
                updated_at = ? WHERE id = ?
                """,
                [error.map { .text($0) } ?? .null, .integer(notBefore), .integer(now), .integer(id)])
            if let state, let stateJSON {
                try Self.upsertThread(db, state: state, json: stateJSON, now: now)
            }
        }
    }

    public func beginOutboxAttempt(_ id: Int64) async throws(StoreError) {
        let now = Self.nowMilliseconds()
        _ = try await executor.write { db throws(StoreError) in
            try db.query("UPDATE outbox SET attempt_started_at = ?, updated_at = ? WHERE id = ?", [.integer(now), .integer(now), .integer(id)])
        }
    }

    public func endOutboxAttempt(_ id: Int64) async throws(StoreError) {
        _ = try await executor.write { db throws(StoreError) in
            try db.query("UPDATE outbox SET attempt_started_at = NULL WHERE id = ?", [.integer(id)])
        }
    }

    public func beginSkillAttempt(_ eventID: Int64) async throws(StoreError) -> Int {
        try await executor.write { db throws(StoreError) in
            let rows = try db.query(
                "UPDATE inbox SET skill_attempts = skill_attempts + 1 WHERE id = ? RETURNING skill_attempts", [.integer(eventID)])
            return Int(rows.first?.int(0) ?? 1)
        }
    }

    public func beginProcessing(_ eventID: Int64) async throws(StoreError) -> ProcessingAttempts {
        try await executor.write { db throws(StoreError) in
            let rows = try db.query(
                """
                UPDATE inbox SET processing_attempts = processing_attempts + 1 WHERE id = ?
                RETURNING processing_attempts, skill_attempts
                """,
                [.integer(eventID)])
            return ProcessingAttempts(processing: Int(rows.first?.int(0) ?? 1), skills: Int(rows.first?.int(1) ?? 0))
        }
    }

    public func abandonProcessing(_ eventID: Int64) async throws(StoreError) {
        _ = try await executor.write { db throws(StoreError) in
            try db.query(
                "UPDATE inbox SET processing_attempts = MAX(processing_attempts - 1, 0) WHERE id = ?", [.integer(eventID)])
        }
    }

    public func quarantined() async throws(StoreError) -> [QuarantinedEvent] {
        try await executor.read { db throws(StoreError) in
            try db.query(
                """
                SELECT id, page_id, user_id, dedupe_key, kind, event_ts, processing_attempts, quarantined_at, outcome, decision
                FROM inbox WHERE quarantined_at IS NOT NULL ORDER BY id
                """).map { row in
                QuarantinedEvent(
                    eventID: row.int(0) ?? 0, thread: ThreadKey(page: PageID(row.text(1) ?? ""), user: UserID(row.text(2) ?? "")),
                    dedupeKey: row.text(3) ?? "", kind: EventTag(rawValue: row.text(4) ?? "") ?? .unknown, timestamp: row.int(5) ?? 0,
                    attempts: Int(row.int(6) ?? 0), quarantinedAt: row.int(7) ?? 0, outcome: row.text(8) ?? "",
                    decision: Self.decodeDecision(row.text(9)))
            }
        }
    }

    public func echoRecorded(in thread: ThreadKey, metadata: String) async throws(StoreError) -> Bool {
        // Idempotency keys hold only [a-z0-9.:], so the quoted value needs no JSON escaping.
        let pattern = "%\"" + metadata + "\"%"
        return try await executor.read { db throws(StoreError) in
            !(try db.query(
                "SELECT 1 FROM inbox WHERE page_id = ? AND user_id = ? AND kind = 'echo' AND raw_json LIKE ? LIMIT 1",
                [.text(thread.page.rawValue), .text(thread.user.rawValue), .text(pattern)]
            ).isEmpty)
        }
    }

    public func decisions(in thread: ThreadKey) async throws(StoreError) -> [DecisionRecord] {
        try await executor.read { db throws(StoreError) in
            try db.query(
                """
                SELECT id, kind, channel, event_ts, outcome, decision FROM inbox
                WHERE page_id = ? AND user_id = ? AND processed_at IS NOT NULL ORDER BY processed_at, id
                """,
                [.text(thread.page.rawValue), .text(thread.user.rawValue)]
            ).map { row in
                DecisionRecord(
                    eventID: row.int(0) ?? 0, thread: thread, kind: EventTag(rawValue: row.text(1) ?? "") ?? .unknown,
                    channel: WebhookChannel(rawValue: row.text(2) ?? ""),
                    timestamp: row.int(3) ?? 0, outcome: row.text(4) ?? "", decision: Self.decodeDecision(row.text(5)))
            }
        }
    }

    public func counters() async throws(StoreError) -> StoreCounters {
        try await executor.read { db throws(StoreError) in
            let inbox = try db.query("SELECT COUNT(*), COUNT(*) - COUNT(processed_at) FROM inbox")
            let outbox = try db.query("SELECT status, COUNT(*) FROM outbox GROUP BY status")
            var byStatus: [String: Int] = [:]
            for row in outbox { byStatus[row.text(0) ?? ""] = Int(row.int(1) ?? 0) }
            return StoreCounters(
                inboxTotal: Int(inbox.first?.int(0) ?? 0), inboxPending: Int(inbox.first?.int(1) ?? 0),
                outboxPending: byStatus["pending"] ?? 0, outboxDone: byStatus["done"] ?? 0,
                outboxDead: byStatus["dead"] ?? 0, outboxSkipped: byStatus["skipped"] ?? 0)
        }
    }

    public func backlog() async throws(StoreError) -> StoreBacklog {
        try await executor.read { db throws(StoreError) in
            // Each count is served by a partial index (inbox_pending, outbox_pending, outbox_dead).
            let inbox = try db.query("SELECT COUNT(*) FROM inbox WHERE processed_at IS NULL").first?.int(0) ?? 0
            let pending = try db.query("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").first?.int(0) ?? 0
            let dead = try db.query("SELECT COUNT(*) FROM outbox WHERE status = 'dead'").first?.int(0) ?? 0
            let quarantined = try db.query("SELECT COUNT(*) FROM inbox WHERE quarantined_at IS NOT NULL").first?.int(0) ?? 0
            let deferred =
                try db.query("SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND not_before IS NOT NULL").first?.int(0) ?? 0
            return StoreBacklog(
                inboxPending: Int(inbox), outboxPending: Int(pending), outboxDead: Int(dead),
                inboxQuarantined: Int(quarantined), outboxDeferred: Int(deferred))
        }
    }

    public func close() async {
        await executor.close()
    }

    // MARK: - Helpers

    private func outboxItems(_ thread: ThreadKey, onlyPending: Bool) async throws(StoreError) -> [OutboxItem] {
        try await executor.read { db throws(StoreError) in
            let rows = try db.query(
                """
                SELECT id, event_id, action_json, idempotency_key, status, attempts, last_error, attempt_started_at,
                created_at, not_before FROM outbox
                WHERE page_id = ? AND user_id = ? \(onlyPending ? "AND status = 'pending'" : "") ORDER BY id
                """,
                [.text(thread.page.rawValue), .text(thread.user.rawValue)])
            return try rows.map { row throws(StoreError) in
                OutboxItem(
                    id: row.int(0) ?? 0, thread: thread, eventID: row.int(1) ?? 0,
                    action: try Self.decodeAction(row.text(2) ?? ""), idempotencyKey: row.text(3) ?? "",
                    status: OutboxStatus(rawValue: row.text(4) ?? "") ?? .pending, attempts: Int(row.int(5) ?? 0),
                    lastError: row.text(6), attemptStartedAt: row.int(7), createdAt: row.int(8), notBefore: row.int(9))
            }
        }
    }

    private static func upsertThread(_ db: SQLiteConnection, state: ThreadState, json: String, now: Int64) throws(StoreError) {
        try db.query(
            """
            INSERT INTO threads(page_id, user_id, state_json, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT(page_id, user_id) DO UPDATE SET state_json = excluded.state_json, updated_at = excluded.updated_at
            """,
            [.text(state.key.page.rawValue), .text(state.key.user.rawValue), .text(json), .integer(now)])
    }

    static func nowMilliseconds() -> Int64 { Int64(clamping: Date().timeIntervalSince1970 * 1000) }

    private static func encode(_ value: some Encodable) throws(StoreError) -> String {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw StoreError(.corrupt, "cannot encode \(type(of: value)): \(error)")
        }
    }

    private static func decodeState(_ json: String) throws(StoreError) -> ThreadState {
        do { return try JSONDecoder().decode(ThreadState.self, from: Data(json.utf8)) } catch {
            throw StoreError(.corrupt, "a stored thread state does not decode: \(error)")
        }
    }

    /// A stored decision; nil when absent or unreadable (the line in `outcome` stays).
    static func decodeDecision(_ json: String?) -> DecisionOutcome? {
        guard let json else { return nil }
        return try? JSONDecoder().decode(DecisionOutcome.self, from: Data(json.utf8))
    }

    private static func decodeAction(_ json: String) throws(StoreError) -> PlannedAction {
        do { return try JSONDecoder().decode(PlannedAction.self, from: Data(json.utf8)) } catch {
            throw StoreError(.corrupt, "a stored outbox action does not decode: \(error)")
        }
    }
}

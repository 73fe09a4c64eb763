/// The SQLite schema and its migrations. Each migration runs once, in order, recorded in
/// `schema_migrations`.
enum SQLiteSchema {
    static let migrations: [String] = [
        """
        CREATE TABLE inbox(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            dedupe_key TEXT NOT NULL UNIQUE,
            page_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            kind TEXT NOT NULL,
            event_ts INTEGER NOT NULL,
            received_at INTEGER NOT NULL,
            raw_json TEXT NOT NULL,
            processed_at INTEGER,
            outcome TEXT
        );
        CREATE INDEX inbox_pending ON inbox(page_id, user_id, event_ts, id) WHERE processed_at IS NULL;
        CREATE TABLE threads(
            page_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            state_json TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY(page_id, user_id)
        );
        CREATE TABLE outbox(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            page_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            event_id INTEGER NOT NULL REFERENCES inbox(id),
            action_json TEXT NOT NULL,
            idempotency_key TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            last_error TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE INDEX outbox_pending ON outbox(page_id, user_id, id) WHERE status = 'pending';
        """,
        // When the latest attempt at a Graph call began: an item still pending with an attempt
        // begun was in flight when the process stopped, and must be confirmed before a resend.
        """
        ALTER TABLE outbox ADD COLUMN attempt_started_at INTEGER;
        CREATE INDEX inbox_echo ON inbox(page_id, user_id) WHERE kind = 'echo';
        """,
        // How many times skills began handling an event: a process that keeps dying on one
        // message (a crashing skill) is detected and the message escalated instead.
        """
        ALTER TABLE inbox ADD COLUMN skill_attempts INTEGER NOT NULL DEFAULT 0;
        """,
        // Dead letters counted from an index, so the backlog gauges cost no table scan.
        """
        CREATE INDEX outbox_dead ON outbox(page_id, user_id, id) WHERE status = 'dead';
        """,
        // Poison quarantine for every cause: processing attempts per event (a process that
        // dies on one event, whatever the cause, gives up on it after a few), the events set
        // aside, and Graph calls deferred to a later time (a refused escalation pass).
        """
        ALTER TABLE inbox ADD COLUMN processing_attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE inbox ADD COLUMN quarantined_at INTEGER;
        CREATE INDEX inbox_quarantined ON inbox(page_id, user_id, id) WHERE quarantined_at IS NOT NULL;
        ALTER TABLE outbox ADD COLUMN not_before INTEGER;
        CREATE INDEX outbox_deferred ON outbox(page_id, user_id, id) WHERE status = 'pending' AND not_before IS NOT NULL;
        """,
        // The parser's typed event, stored once in a versioned encoding (InboxEncoding) and
        // read back as it was: an event is never parsed again from its JSON. The decision as a
        // typed value beside its one-line text.
        """
        ALTER TABLE inbox ADD COLUMN content TEXT;
        ALTER TABLE inbox ADD COLUMN decision TEXT;
        """,
        // Attachment reuse: media a skill sends by URL is uploaded once per Page (Attachment
        // Upload API, `is_reusable`) and later sends go by the id Meta gave for it.
        """
        CREATE TABLE attachment_ids(
            page_id TEXT NOT NULL,
            url TEXT NOT NULL,
            type TEXT NOT NULL,
            attachment_id TEXT NOT NULL,
            uploaded_at INTEGER NOT NULL,
            PRIMARY KEY(page_id, url, type)
        );
        """,
    ]

    static func migrate(_ db: SQLiteConnection) throws(StoreError) {
        try db.execute("CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY)")
        let applied = try db.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").first?.int(0) ?? 0
        guard applied <= migrations.count else {
            throw StoreError(.schema, "the database has schema \(applied), newer than this Baton knows (\(migrations.count))")
        }
        for (index, sql) in migrations.enumerated() where index + 1 > applied {
            do {
                try db.execute("BEGIN IMMEDIATE")
                try db.execute(sql)
                try db.query("INSERT INTO schema_migrations(version) VALUES (?)", [.integer(Int64(index + 1))])
                try db.execute("COMMIT")
            } catch {
                try? db.execute("ROLLBACK")
                throw StoreError(.schema, "migration \(index + 1) failed: \(error.message)")
            }
        }
    }
}

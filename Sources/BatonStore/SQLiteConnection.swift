import CSQLite

/// One SQLite connection. Not thread-safe: ``SQLiteExecutor`` confines it to one queue.
final class SQLiteConnection {
    private var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]

    init(path: String) throws(StoreError) {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw StoreError(.open, "cannot open \(path): \(message)")
        }
        handle = db
        sqlite3_busy_timeout(db, 5000)
        sqlite3_extended_result_codes(db, 1)
    }

    deinit { close() }

    func close() {
        for statement in statements.values { sqlite3_finalize(statement) }
        statements.removeAll()
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Runs SQL without results (several statements allowed).
    func execute(_ sql: String) throws(StoreError) {
        guard let handle else { throw StoreError(.closed, "the database is closed") }
        var error: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(handle, sql, nil, nil, &error) != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(error)
            throw StoreError(.statement, message)
        }
    }

    /// Runs one statement with bound values and returns its rows.
    @discardableResult
    func query(_ sql: String, _ values: [SQLiteValue] = []) throws(StoreError) -> [SQLiteRow] {
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(statement, position)
            case .integer(let int): rc = sqlite3_bind_int64(statement, position, int)
            case .real(let double): rc = sqlite3_bind_double(statement, position, double)
            case .text(let text): rc = sqlite3_bind_text(statement, position, text, -1, baton_sqlite_transient())
            }
            guard rc == SQLITE_OK else { throw failure(sql) }
        }
        var rows: [SQLiteRow] = []
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw failure(sql) }
            var columns: [SQLiteValue] = []
            for column in 0..<sqlite3_column_count(statement) {
                switch sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER: columns.append(.integer(sqlite3_column_int64(statement, column)))
                case SQLITE_FLOAT: columns.append(.real(sqlite3_column_double(statement, column)))
                case SQLITE_NULL: columns.append(.null)
                default:
                    let text = sqlite3_column_text(statement, column).map { String(cString: $0) } ?? ""
                    columns.append(.text(text))
                }
            }
            rows.append(SQLiteRow(values: columns))
        }
        return rows
    }

    /// Rows changed by the last statement.
    var changes: Int { handle.map { Int(sqlite3_changes($0)) } ?? 0 }

    private func prepared(_ sql: String) throws(StoreError) -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        guard let handle else { throw StoreError(.closed, "the database is closed") }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw failure(sql)
        }
        statements[sql] = statement
        return statement
    }

    private func failure(_ sql: String) -> StoreError {
        guard let handle else { return StoreError(.closed, "the database is closed") }
        let code = sqlite3_extended_errcode(handle)
        let message = String(cString: sqlite3_errmsg(handle))
        switch code & 0xff {
        case SQLITE_BUSY, SQLITE_LOCKED: return StoreError(.busy, message)
        case SQLITE_CORRUPT, SQLITE_NOTADB: return StoreError(.corrupt, message)
        default: return StoreError(.statement, "\(message) (in: \(sql.prefix(60)))")
        }
    }
}

/// A value bound to or read from SQLite.
enum SQLiteValue: Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}

/// One result row.
struct SQLiteRow {
    var values: [SQLiteValue]
    func int(_ index: Int) -> Int64? {
        if case .integer(let value) = values[index] { return value }
        return nil
    }
    func double(_ index: Int) -> Double? {
        switch values[index] {
        case .real(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }
    func text(_ index: Int) -> String? {
        if case .text(let value) = values[index] { return value }
        return nil
    }
}

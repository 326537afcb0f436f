import CSQLite

/// An SQLite failure: SQLite's code and message, and the statement that failed.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String
    public let statement: String

    public var description: String {
        "SQLite error \(code): \(message)" + (statement.isEmpty ? "" : " (in: \(statement.prefix(120)))")
    }
}

/// One SQLite connection, closed when the object goes away. Not shareable between threads.
public final class SQLiteDatabase {
    private var handle: OpaquePointer?

    /// Opens (creating if needed) the database at `path`.
    public init(path: String, readOnly: Bool = false) throws(SQLiteError) {
        var db: OpaquePointer? = nil
        let flags = readOnly ? SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(db)
            throw SQLiteError(code: rc, message: message, statement: "open \(path)")
        }
        handle = db
    }

    deinit {
        close()
    }

    /// Closes the connection (finalize statements first). Safe to call twice.
    public func close() {
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    var pointer: OpaquePointer {
        guard let handle else { preconditionFailure("database used after close()") }
        return handle
    }

    func error(_ rc: Int32, _ sql: String) -> SQLiteError {
        SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(pointer)), statement: sql)
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>? = nil
        let rc = sqlite3_exec(pointer, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(pointer))
            sqlite3_free(message)
            throw SQLiteError(code: rc, message: text, statement: sql)
        }
    }

    public func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        try SQLiteStatement(database: self, sql: sql)
    }

    /// Turns off SQLite's process-wide memory statistics (and the mutex that guards them), for
    /// programs that use SQLite from two threads at once. Works only before SQLite's first use
    /// in the process; returns whether it took effect.
    @discardableResult
    public static func disableMemoryStatistics() -> Bool {
        csqlite_disable_memory_statistics() == SQLITE_OK
    }

    /// The version of the SQLite library in use, e.g. `3.40.1`.
    public static var libraryVersion: String { String(cString: sqlite3_libversion()) }
}

/// A prepared statement, finalized when the object goes away. Keeps its database open.
public final class SQLiteStatement {
    private let database: SQLiteDatabase
    private let statement: OpaquePointer
    private let sql: String

    init(database: SQLiteDatabase, sql: String) throws(SQLiteError) {
        self.database = database
        self.sql = sql
        var stmt: OpaquePointer? = nil
        let rc = sqlite3_prepare_v2(database.pointer, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw database.error(rc, sql) }
        statement = stmt
    }

    deinit {
        sqlite3_finalize(statement)
    }

    /// A value to bind to a parameter.
    public enum Value {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)
        case blob([UInt8])
    }

    /// Binds `values` to parameters 1...n, runs the statement to completion and resets it.
    public func run(_ values: [Value]) throws(SQLiteError) {
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(statement, index)
            case .integer(let v): rc = sqlite3_bind_int64(statement, index, v)
            case .real(let v): rc = sqlite3_bind_double(statement, index, v)
            case .text(let s): rc = sqlite3_bind_text(statement, index, s, -1, SQLITE_TRANSIENT)
            case .blob(let b):
                rc = b.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), SQLITE_TRANSIENT) }
            }
            if rc != SQLITE_OK { throw database.error(rc, sql) }
        }
        let rc = sqlite3_step(statement)
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        if rc != SQLITE_DONE && rc != SQLITE_ROW { throw database.error(rc, sql) }
    }

    // MARK: - Binding one value at a time (a GeoPackage's rows, without boxing)

    /// Parameters are numbered from 1. A failed bind is remembered and reported by `execute()`.
    public func bindNull(_ index: Int32) { note(sqlite3_bind_null(statement, index)) }
    public func bind(_ index: Int32, integer v: Int64) { note(sqlite3_bind_int64(statement, index, v)) }
    public func bind(_ index: Int32, real v: Double) { note(sqlite3_bind_double(statement, index, v)) }

    public func bind(_ index: Int32, text: String) {
        var text = text
        text.withUTF8 { bind(index, text: $0) }
    }

    /// UTF-8 bytes as TEXT (copied by SQLite); an empty buffer is the empty string, not NULL.
    public func bind(_ index: Int32, text: UnsafeBufferPointer<UInt8>) {
        let start = UnsafeRawPointer(text.baseAddress ?? Self.empty.utf8Start).assumingMemoryBound(to: CChar.self)
        note(sqlite3_bind_text(statement, index, start, Int32(clamping: text.count), SQLITE_TRANSIENT))
    }

    private static let empty: StaticString = ""

    public func bind(_ index: Int32, blob: UnsafeRawBufferPointer) {
        note(sqlite3_bind_blob(statement, index, blob.baseAddress, Int32(clamping: blob.count), SQLITE_TRANSIENT))
    }

    /// Runs the statement with the values bound since the last `execute()`, then resets it.
    public func execute() throws(SQLiteError) {
        defer { bindFailure = SQLITE_OK; sqlite3_reset(statement); sqlite3_clear_bindings(statement) }
        if bindFailure != SQLITE_OK { throw database.error(bindFailure, sql) }
        let rc = sqlite3_step(statement)
        if rc != SQLITE_DONE && rc != SQLITE_ROW { throw database.error(rc, sql) }
    }

    private var bindFailure = SQLITE_OK

    private func note(_ rc: Int32) {
        if rc != SQLITE_OK && bindFailure == SQLITE_OK { bindFailure = rc }
    }

    // MARK: - Reading row by row (the GeoPackage reader)

    public enum ColumnKind { case integer, real, text, blob, null }

    /// Binds text values to parameters 1...n (for a query stepped with `step()`).
    public func bind(_ values: [String]) throws(SQLiteError) {
        sqlite3_reset(statement)
        for (i, v) in values.enumerated() where sqlite3_bind_text(statement, Int32(i + 1), v, -1, SQLITE_TRANSIENT) != SQLITE_OK {
            throw database.error(sqlite3_errcode(database.pointer), sql)
        }
    }

    /// Moves to the next row; false after the last.
    public func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(statement)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw database.error(rc, sql)
    }

    public var columnCount: Int { Int(sqlite3_column_count(statement)) }

    public func columnName(_ i: Int) -> String {
        sqlite3_column_name(statement, Int32(i)).map { String(cString: $0) } ?? ""
    }

    public func kind(_ i: Int) -> ColumnKind {
        switch sqlite3_column_type(statement, Int32(i)) {
        case SQLITE_INTEGER: return .integer
        case SQLITE_FLOAT: return .real
        case SQLITE_TEXT: return .text
        case SQLITE_BLOB: return .blob
        default: return .null
        }
    }

    public func int64(_ i: Int) -> Int64 { sqlite3_column_int64(statement, Int32(i)) }
    public func double(_ i: Int) -> Double { sqlite3_column_double(statement, Int32(i)) }

    /// The bytes of a text or blob value, valid until the next `step()`.
    public func bytes(_ i: Int) -> UnsafeRawBufferPointer {
        let pointer = kind(i) == .blob ? sqlite3_column_blob(statement, Int32(i)) : UnsafeRawPointer(sqlite3_column_text(statement, Int32(i)))
        let count = Int(sqlite3_column_bytes(statement, Int32(i)))
        guard let pointer, count > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: pointer, count: count)
    }

    /// Runs a query and returns every row as text values (nil for NULL).
    public func rows() throws(SQLiteError) -> [[String?]] {
        var out: [[String?]] = []
        defer { sqlite3_reset(statement) }
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { return out }
            guard rc == SQLITE_ROW else { throw database.error(rc, sql) }
            let n = sqlite3_column_count(statement)
            out.append((0..<n).map { i in sqlite3_column_text(statement, i).map { String(cString: $0) } })
        }
    }
}

/// SQLite's SQLITE_TRANSIENT (copy the bound value now), which Swift cannot import as a macro.
let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

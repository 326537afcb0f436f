import CPROJ
#if canImport(Glibc)
import Glibc
#endif

/// A PROJ context: PROJ's per-thread state (database connection, error state, log). Every CRS
/// and transformer is made in a context and keeps it alive.
///
/// Threads: a context, and every `CRS` and `Transformer` made in it, must be used by one thread
/// at a time. None of these types is `Sendable`, so the compiler keeps them on one thread; a
/// program that transforms on several threads makes one context per thread.
public final class ProjContext {
    let pointer: OpaquePointer
    private let log: LogBuffer

    /// Collects the messages PROJ logs, so errors can quote them.
    final class LogBuffer {
        var messages: [String] = []
    }

    public init() {
        pointer = proj_context_create()
        log = LogBuffer()
        let userData = Unmanaged.passUnretained(log).toOpaque()
        proj_log_func(pointer, userData) { userData, _, message in
            guard let userData, let message else { return }
            let buffer = Unmanaged<LogBuffer>.fromOpaque(userData).takeUnretainedValue()
            if buffer.messages.count < 32 { buffer.messages.append(String(cString: message)) }
        }
        proj_log_level(pointer, PJ_LOG_ERROR)
        // Never reach for the network (this tool must behave the same offline).
        proj_context_set_enable_network(pointer, 0)
    }

    /// A context that looks for `proj.db` and PROJ's other resource files only in these folders
    /// (instead of PROJ_DATA and the installation's folder): for tests and unusual installs.
    public convenience init(searchPaths: [String]) {
        self.init()
        let cStrings = searchPaths.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        var pointers: [UnsafePointer<CChar>?] = cStrings.map { UnsafePointer($0) }
        pointers.withUnsafeMutableBufferPointer {
            proj_context_set_search_paths(pointer, Int32($0.count), $0.baseAddress)
        }
    }

    deinit {
        proj_context_destroy(pointer)
    }

    /// The path of the `proj.db` this context uses, or nil when PROJ cannot find one.
    public var databasePath: String? {
        proj_context_get_database_path(pointer).map { String(cString: $0) }
    }

    /// PROJ's release, e.g. `9.1.1`.
    public static var projVersion: String {
        String(cString: proj_info().version)
    }

    /// Forgets earlier messages before a new call (error codes are read from the object that
    /// failed when there is one).
    func reset() {
        log.messages.removeAll(keepingCapacity: true)
    }

    /// Builds an error from the context's current state.
    func error(_ kind: ProjectionError.Kind, operation: String, object: OpaquePointer? = nil, pointIndex: Int? = nil) -> ProjectionError {
        let code = object.map { proj_errno($0) } ?? proj_context_errno(pointer)
        let finalCode = code != 0 ? code : proj_context_errno(pointer)
        var message = log.messages.joined(separator: "; ")
        if message.isEmpty, finalCode != 0, let s = proj_context_errno_string(pointer, finalCode) {
            message = String(cString: s)
        }
        var kind = kind
        if message.contains("proj.db") || (databasePath == nil && kind != .outOfDomain) { kind = .databaseMissing }
        return ProjectionError(kind: kind, code: finalCode, message: message, operation: operation, pointIndex: pointIndex)
    }
}

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

    /// Where PROJ looks for grids and `proj.db` by default, e.g. `/root/.local/share/proj:/usr/share/proj`.
    public var searchFolders: String {
        proj_info().searchpath.map { String(cString: $0) } ?? "PROJ's default folders"
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
        var detail: String? = nil
        if message.contains("proj.db") || (databasePath == nil && kind != .outOfDomain) {
            kind = .databaseMissing
        } else if kind != .unknownCRS && kind != .notACRS && Self.isGridFailure(code: finalCode, message: message) {
            // At a point, PROJ says only "no inverse operation"; its log names the grid step.
            kind = .gridMissing
            detail = "the data is not at fault: PROJ could not open a grid file (looked in \(searchFolders),"
                + " network access off); install the grid or choose a CRS that needs none"
        }
        return ProjectionError(kind: kind, code: finalCode, message: message, operation: operation, pointIndex: pointIndex,
                               detail: detail)
    }

    private static func isGridFailure(code: Int32, message: String) -> Bool {
        code == PROJ_ERR_OTHER_NETWORK_ERROR || code == PROJ_ERR_INVALID_OP_FILE_NOT_FOUND_OR_INVALID
            || message.contains("could not find required grid") || message.contains("File not found or invalid")
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Work run on a second thread while the caller does something else, then joined. The export
/// uses it to set PROJ up (opening its database takes several milliseconds) while the
/// GeoPackage's base map is written, so that the two cores of a small machine both work.
///
/// The value moves to the joining thread only after the worker has finished (`pthread_join`
/// orders the two), so a non-Sendable value such as a PROJ transformer is used by one thread at a
/// time; that is why the box may be `@unchecked Sendable`.
final class BackgroundJob<Value>: ThreadBody, @unchecked Sendable {
    private var work: (() -> Value)?
    private var result: Value?
    private var thread: pthread_t?

    init(_ work: @escaping () -> Value) {
        self.work = work
        super.init()
        thread = startThread(self)
        if thread == nil { execute() }  // no thread to be had: do the work here, now
    }

    override func execute() {
        result = work!()
        work = nil
    }

    /// Waits for the work and returns its value.
    func join() -> Value {
        if let thread {
            pthread_join(thread, nil)
            self.thread = nil
        }
        return result!
    }
}

/// The non-generic part a C thread entry point can call.
class ThreadBody {
    func execute() {}
}

/// Starts a thread running `body.execute()`; nil if the system refuses.
func startThread(_ body: ThreadBody) -> pthread_t? {
    let context = Unmanaged.passRetained(body).toOpaque()
    var handle = pthread_t()
    let started = pthread_create(&handle, nil, { context in
        Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().execute()
        return nil
    }, context)
    if started != 0 {
        Unmanaged<ThreadBody>.fromOpaque(context).release()
        return nil
    }
    return handle
}

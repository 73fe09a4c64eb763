import Synchronization

/// Maps `baton_call` handles to live call contexts.
///
/// A handle is a number that is never reused, not the address of an object: a skill
/// that keeps a handle and uses it after its call returned reaches no freed memory,
/// only a lookup that fails (`BATON_E_STATE`).
enum CallRegistry {
    private struct Table: ~Copyable {
        var next: UInt = 1
        var contexts: [UInt: CallContext] = [:]
    }

    private static let table = Mutex(Table())

    /// Makes `context` reachable through a new handle.
    static func register(_ context: CallContext) -> OpaquePointer {
        let id = table.withLock { table in
            let id = table.next
            table.next += 1
            table.contexts[id] = context
            return id
        }
        return OpaquePointer(bitPattern: id)!
    }

    /// Makes the handle unreachable.
    static func unregister(_ handle: OpaquePointer) {
        let id = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(handle)))
        _ = table.withLock { $0.contexts.removeValue(forKey: id) }
    }

    /// The context behind `handle`, or nil when its call is over or it never existed.
    static func context(_ handle: OpaquePointer?) -> CallContext? {
        guard let handle else { return nil }
        let id = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(handle)))
        return table.withLock { $0.contexts[id] }
    }
}

import Foundation

/// Serialises the calls the header reserves for "one control thread" (the entry,
/// `create`, `destroy`, `shutdown`) across every skill of the process.
enum ControlThread {
    private static let lock = NSLock()

    /// Runs `body` while no other control call runs.
    static func run<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}

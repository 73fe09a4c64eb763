import Dispatch

/// Runs blocking work (a child process to wait for, `dlopen`, a file to hash) on a Dispatch
/// thread instead of the Swift concurrency pool, whose few threads (one per core) must never
/// wait: several runtimes starting at once would otherwise stall every task in the process.
func runBlocking<Value: Sendable, Failure: Error>(_ work: @escaping @Sendable () throws(Failure) -> Value) async throws(Failure) -> Value {
    let result: Result<Value, Failure> = await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(returning: Result { () throws(Failure) in try work() })
        }
    }
    return try result.get()
}

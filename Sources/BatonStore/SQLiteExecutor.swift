import Dispatch
import Synchronization

/// Confines one ``SQLiteConnection`` to a serial queue and groups commits: every job that
/// is waiting when a transaction starts joins it, each in its own savepoint, so many
/// concurrent writers share one fsync. A job's caller resumes only after the commit.
final class SQLiteExecutor: Sendable {
    private struct Job: Sendable {
        /// Runs inside the transaction; returns what to do once the outcome is known.
        let body: @Sendable (SQLiteConnection) -> @Sendable (Result<Void, StoreError>) -> Void
        /// Answers a job that never ran.
        let fail: @Sendable (StoreError) -> Void

        init(
            fail: @escaping @Sendable (StoreError) -> Void,
            body: @escaping @Sendable (SQLiteConnection) -> @Sendable (Result<Void, StoreError>) -> Void
        ) {
            self.fail = fail
            self.body = body
        }
    }

    private struct State: ~Copyable {
        var pending: [Job] = []
        var draining = false
        var closed = false
    }

    private let queue = DispatchQueue(label: "baton.sqlite")
    private let state = Mutex(State())
    private nonisolated(unsafe) let connection: SQLiteConnection
    /// Number of transactions committed and jobs run, for the benchmark and metrics.
    let commitCount = Atomic<Int>(0)
    let jobCount = Atomic<Int>(0)

    init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// Runs `body` in a grouped write transaction and returns its result after the commit.
    func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws(StoreError) -> T) async throws(StoreError) -> T {
        let result: Result<T, StoreError> = await withCheckedContinuation { continuation in
            let job = Job(fail: { continuation.resume(returning: .failure($0)) }) { connection in
                let outcome: Result<T, StoreError>
                do throws(StoreError) {
                    try connection.execute("SAVEPOINT job")
                    do throws(StoreError) {
                        let value = try body(connection)
                        try connection.execute("RELEASE job")
                        outcome = .success(value)
                    } catch {
                        try? connection.execute("ROLLBACK TO job; RELEASE job")
                        outcome = .failure(error)
                    }
                } catch {
                    outcome = .failure(error)
                }
                return { commit in
                    switch (commit, outcome) {
                    case (.failure(let error), _): continuation.resume(returning: .failure(error))
                    case (.success, let outcome): continuation.resume(returning: outcome)
                    }
                }
            }
            enqueue(job)
        }
        return try result.get()
    }

    /// Runs `body` on the connection outside of grouping (schema set-up, reads).
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws(StoreError) -> T) async throws(StoreError) -> T {
        let result: Result<T, StoreError> = await withCheckedContinuation { continuation in
            queue.async {
                if self.state.withLock({ $0.closed }) {
                    continuation.resume(returning: .failure(StoreError(.closed, "the store is closed")))
                    return
                }
                do throws(StoreError) {
                    continuation.resume(returning: .success(try body(self.connection)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Stops taking work and closes the connection once queued work is done.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            state.withLock { $0.closed = true }
            queue.async {
                self.connection.close()
                continuation.resume()
            }
        }
    }

    private func enqueue(_ job: Job) {
        let startDrain: Bool? = state.withLock { state in
            if state.closed { return nil }
            state.pending.append(job)
            if state.draining { return false }
            state.draining = true
            return true
        }
        switch startDrain {
        case nil: job.fail(StoreError(.closed, "the store is closed"))
        case true?: queue.async { self.drain() }
        case false?: break
        }
    }

    private func drain() {
        while true {
            let jobs: [Job] = state.withLock { state in
                let jobs = state.pending
                state.pending.removeAll()
                if jobs.isEmpty { state.draining = false }
                return jobs
            }
            if jobs.isEmpty { return }
            var completions: [@Sendable (Result<Void, StoreError>) -> Void] = []
            completions.reserveCapacity(jobs.count)
            var commit: Result<Void, StoreError>
            do throws(StoreError) {
                try connection.execute("BEGIN IMMEDIATE")
                for job in jobs { completions.append(job.body(connection)) }
                try connection.execute("COMMIT")
                commit = .success(())
            } catch {
                try? connection.execute("ROLLBACK")
                commit = .failure(error)
                // Jobs that never ran still need an answer.
                for job in jobs.dropFirst(completions.count) { job.fail(error) }
            }
            commitCount.add(1, ordering: .relaxed)
            jobCount.add(jobs.count, ordering: .relaxed)
            for completion in completions { completion(commit) }
        }
    }
}

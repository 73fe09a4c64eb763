import BatonCore
import BatonGraph
import Synchronization

/// Uploads under way, at most one per (runner, Page, media): a send that needs media already
/// being uploaded waits for that upload instead of starting another ("single flight"), so the
/// same video sent to many users at once is uploaded once.
///
/// One registry serves every ``OutboxRunner`` of the process. Entries are keyed by the
/// runner's identity (each hosted app has its own runner, store and Page tokens), and an entry
/// lives only while its upload runs; the upload holds its runner alive meanwhile, so the
/// identity cannot be reused by another runner while the entry exists.
final class AttachmentFlights: Sendable {
    /// Which upload: the runner, the Page and the media.
    struct Key: Hashable, Sendable {
        var owner: ObjectIdentifier
        var page: PageID
        var media: ReplyMedia
    }

    /// What a flight gave: the id to send by, and whether the flight uploaded it (false when
    /// it found an id another upload had just saved).
    struct Outcome: Sendable, Equatable {
        var id: AttachmentID
        var uploaded: Bool
    }

    private typealias Flight = Task<Result<Outcome, GraphError>, Never>

    private struct Entry {
        var serial: UInt64
        var flight: Flight
    }

    private struct State: ~Copyable {
        var entries: [Key: Entry] = [:]
        var serial: UInt64 = 0
    }

    /// The process's registry.
    static let shared = AttachmentFlights()

    private let state = Mutex(State())

    /// Joins the flight under way for `key`, or starts `work` as a new one. The flight ends
    /// (and leaves the registry) when `work` returns, whether or not its callers still wait.
    /// - Parameters:
    ///   - key: The runner, Page and media.
    ///   - work: The upload, run at most once for all the callers that join it.
    /// - Returns: The flight's result, and whether this call started it.
    func run(_ key: Key, _ work: @escaping @Sendable () async -> Result<Outcome, GraphError>) async
        -> (result: Result<Outcome, GraphError>, started: Bool)
    {
        let (flight, started) = state.withLock { state -> (Flight, Bool) in
            if let running = state.entries[key] { return (running.flight, false) }
            state.serial &+= 1
            let serial = state.serial
            let flight = Flight {
                let result = await work()
                self.finish(key, serial: serial)
                return result
            }
            state.entries[key] = Entry(serial: serial, flight: flight)
            return (flight, true)
        }
        return (await flight.value, started)
    }

    /// Takes a finished flight out of the registry (unless a newer one replaced it).
    private func finish(_ key: Key, serial: UInt64) {
        state.withLock { state in
            if state.entries[key]?.serial == serial { state.entries[key] = nil }
        }
    }
}

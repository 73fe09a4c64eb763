import Synchronization

/// Open while the runtime takes webhooks; closed at shutdown so new POSTs get 503 and
/// Meta delivers them again later.
public final class IntakeGate: Sendable {
    private let open = Atomic<Bool>(true)
    public init() {}
    public var isOpen: Bool { open.load(ordering: .acquiring) }
    public func close() { open.store(false, ordering: .releasing) }
}

/// A seeded SplitMix64 generator: the same seed gives the same numbers, so a failing run of
/// a fuzz test can be replayed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's whole state.
    public private(set) var state: UInt64

    /// - Parameter seed: the first state.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<n` (0 when `n` is 1 or less).
    /// - Parameter n: the bound.
    public mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

    /// True with the given probability.
    /// - Parameter percent: the probability in percent.
    public mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    /// One element of a non-empty array.
    /// - Parameter items: the choices.
    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// An independent generator seeded from this one.
    public mutating func split() -> SplitMix64 { SplitMix64(seed: next()) }
}

/// Lowercase hex digits for the simulator. BatonSimulator depends on no Baton module by design,
/// so it keeps this small copy of BatonCore's `Hex`: signatures and proofs, and the `\uXXXX`
/// escapes of Meta-style JSON.
enum SimulatorHex {
    /// The ASCII digits `0`–`9`, `a`–`f`.
    static let digits = Array("0123456789abcdef".utf8)

    /// Two lowercase hex digits per byte.
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var output: [UInt8] = []
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}

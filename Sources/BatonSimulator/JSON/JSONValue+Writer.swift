extension JSONValue {
    /// Serialises the value the way Meta's webhook bodies look: compact, keys in order, every
    /// non-ASCII character escaped as `\uXXXX` (UTF-16 units, so emoji become surrogate pairs)
    /// and `/` escaped as `\/`.
    /// - Returns: The UTF-8 (in fact pure ASCII) bytes.
    public func metaSerialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(into: &out)
        return out
    }

    /// The Meta-style serialisation as a string.
    public var metaSerializedString: String { String(decoding: metaSerialized(), as: UTF8.self) }

    private func write(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: Array("null".utf8))
        case .bool(let b): out.append(contentsOf: Array((b ? "true" : "false").utf8))
        case .int(let i): out.append(contentsOf: Array(String(i).utf8))
        case .double(let d):
            let text = d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
            out.append(contentsOf: Array(text.utf8))
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                member.value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for unit in s.utf16 {
            switch unit {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x2F: out.append(contentsOf: [0x5C, 0x2F])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x20..<0x7F: out.append(UInt8(unit))
            default:
                out.append(contentsOf: [0x5C, UInt8(ascii: "u")])
                for shift in stride(from: 12, through: 0, by: -4) {
                    out.append(SimulatorHex.digits[Int((unit >> UInt16(shift)) & 0xF)])
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

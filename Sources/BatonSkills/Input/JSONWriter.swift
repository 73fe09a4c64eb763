import BatonCore

/// A minimal compact JSON writer that keeps keys in the order they are written. It
/// writes UTF-8 bytes into one buffer and copies runs that need no escaping whole, so
/// encoding a skill's input costs little next to the call itself.
struct JSONWriter {
    /// The document written so far, as UTF-8.
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    /// A writer that appends its document to `prefix` (``bytes`` starts with it).
    init(after prefix: [UInt8]) {
        bytes = prefix
    }

    mutating func raw(_ token: String) {
        comma()
        bytes.append(contentsOf: token.utf8)
        needsComma = true
    }

    mutating func key(_ name: String) {
        comma()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ value: String) {
        comma()
        appendQuoted(value)
        needsComma = true
    }

    /// Writes an integer in decimal, digit by digit into the buffer (no `String` in between).
    mutating func number(_ value: Int64) {
        comma()
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits = 1
        var rest = magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        var index = bytes.count
        repeat {
            index -= 1
            bytes[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        needsComma = true
    }

    mutating func object(_ body: (inout JSONWriter) -> Void) {
        open(UInt8(ascii: "{"))
        body(&self)
        close(UInt8(ascii: "}"))
    }

    mutating func array<Element>(_ elements: [Element], _ body: (inout JSONWriter, Element) -> Void) {
        open(UInt8(ascii: "["))
        for element in elements {
            body(&self, element)
        }
        close(UInt8(ascii: "]"))
    }

    private mutating func comma() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func open(_ bracket: UInt8) {
        comma()
        bytes.append(bracket)
        needsComma = false
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        needsComma = true
    }

    /// Appends a JSON string literal through BatonCore's one escaper.
    private mutating func appendQuoted(_ value: String) {
        JSONString.append(value, to: &bytes)
    }
}

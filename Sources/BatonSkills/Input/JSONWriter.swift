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

    mutating func number(_ value: some BinaryInteger) {
        raw(String(value))
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

/// A minimal compact JSON writer that keeps keys in the order they are written.
struct JSONWriter {
    private(set) var text = ""
    private var needsComma = false

    mutating func raw(_ token: String) {
        if needsComma { text += "," }
        text += token
        needsComma = true
    }

    mutating func key(_ name: String) {
        if needsComma { text += "," }
        text += Self.quoted(name) + ":"
        needsComma = false
    }

    mutating func string(_ value: String) {
        raw(Self.quoted(value))
    }

    mutating func number(_ value: some BinaryInteger) {
        raw(String(value))
    }

    mutating func object(_ body: (inout JSONWriter) -> Void) {
        open("{")
        body(&self)
        close("}")
    }

    mutating func array<Element>(_ elements: [Element], _ body: (inout JSONWriter, Element) -> Void) {
        open("[")
        for element in elements {
            body(&self, element)
        }
        close("]")
    }

    private mutating func open(_ bracket: String) {
        if needsComma { text += "," }
        text += bracket
        needsComma = false
    }

    private mutating func close(_ bracket: String) {
        text += bracket
        needsComma = true
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

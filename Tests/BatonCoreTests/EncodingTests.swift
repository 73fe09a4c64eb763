import BatonCore
import Foundation
import Testing

@Suite("JSON strings and hex")
struct EncodingTests {
    @Test(arguments: [
        "", "plain", "quote \" backslash \\ slash /", "newline \n return \r tab \t",
        "nul \u{0} bell \u{7} backspace \u{8} formfeed \u{C} unit \u{1F}", "café 😀 中文",
        "separators \u{2028} and \u{2029}", "\u{E2}\u{80} lookalike", String(repeating: "long run ", count: 200),
    ])
    func stringsRoundTripThroughJSONSerialization(text: String) throws {
        let literal = JSONString.quoted(text)
        #expect(literal.first == "\"" && literal.last == "\"")
        #expect(!literal.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{2028}" || $0 == "\u{2029}" })
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(literal)]".utf8)) as? [String]
        #expect(decoded == [text])
    }

    @Test func escapesAreTheShortForms() {
        #expect(JSONString.quoted("a\"b\\c\nd\te\u{1}\u{2028}") == #""a\"b\\c\nd\te\u0001\u2028""#)
        var bytes = Array("x:".utf8)
        JSONString.append("é", to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x:\"é\"")
    }

    @Test func hexEncodesAndDecodes() {
        #expect(Hex.encode([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(Hex.encode([0x0f, 0xab], uppercase: true) == "0FAB")
        #expect(Hex.encode([UInt8]()) == "")
        #expect(Hex.decode(Array("000fA0ff".utf8)) == [0x00, 0x0f, 0xa0, 0xff])
        #expect(Hex.decode(Array("abc".utf8)) == nil)
        #expect(Hex.decode(Array("zz".utf8)) == nil)
        let bytes = (0...255).map { UInt8($0) }
        #expect(Hex.decode(Array(Hex.encode(bytes).utf8)) == bytes)
    }
}

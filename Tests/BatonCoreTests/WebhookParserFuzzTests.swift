import BatonCore
import BatonTestSupport
import Testing

/// Byte sequences that tend to break parsers.
private let hostileSnippets: [[UInt8]] = [
    Array("1e99999".utf8), Array("-99999999999999999999999999999999".utf8), Array("null".utf8),
    Array("[[[[[[[[".utf8), Array("{\"a\":".utf8), Array("\"\\ud800\"".utf8), Array("\\u0000".utf8),
    [0xFF, 0xC0, 0x80], [0xED, 0xA0, 0x80], Array("true".utf8), Array("{}".utf8), Array("[]".utf8),
    Array("\"id\":{\"id\":{}}".utf8), Array("0.000000000000000000001e-400".utf8), [0x00],
]

@Suite("Webhook parser: hostile input")
struct WebhookParserFuzzTests {
    /// Applies one random mutation: bit flip, byte overwrite, truncation, deletion, duplication or splice.
    private func mutate(_ input: [UInt8], using rng: inout SplitMix64) -> [UInt8] {
        var bytes = input
        guard !bytes.isEmpty else { return hostileSnippets[Int.random(in: 0..<hostileSnippets.count, using: &rng)] }
        let position = Int.random(in: 0..<bytes.count, using: &rng)
        switch Int.random(in: 0..<7, using: &rng) {
        case 0: bytes[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
        case 1: bytes[position] = UInt8.random(in: 0...255, using: &rng)
        case 2: bytes = Array(bytes[..<position])
        case 3: bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...16, using: &rng)))
        case 4:
            let end = min(bytes.count, position + Int.random(in: 1...64, using: &rng))
            bytes.insert(contentsOf: bytes[position..<end], at: Int.random(in: 0...bytes.count, using: &rng))
        case 5: bytes.insert(contentsOf: hostileSnippets.randomElement(using: &rng)!, at: position)
        default:
            let structural: [UInt8] = Array("{}[],:\"0-".utf8)
            bytes[position] = structural.randomElement(using: &rng)!
        }
        return bytes
    }

    @Test func twoThousandMutationsNeverCrash() throws {
        let seeds = try WebhookFixtures.bodyNames.map { try WebhookFixtures.bytes($0) }
        try #require(!seeds.isEmpty)
        var rng = SplitMix64(seed: 0xBA70_2024)
        var parsed = 0
        var rejected = 0
        for round in 0..<2000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0..<Int.random(in: 1...4, using: &rng) { bytes = mutate(bytes, using: &rng) }
            do throws(WebhookParseError) {
                let batch = try WebhookParser.parse(bytes)
                parsed += 1
                for event in batch.events { #expect(!event.dedupeKey.isEmpty) }
            } catch {
                rejected += 1
                #expect(!error.description.isEmpty)
            }
        }
        #expect(parsed + rejected == 2000)
        #expect(parsed > 0 && rejected > 0)
    }

    @Test func extremeValuesInsideAnEvent() throws {
        let values = [
            "1e400", "-1e400", "123456789012345678901234567890", "18446744073709551616", "-9223372036854775809",
            "0.5", "true", "null", "{}", "[]", "\"\"", "\"\\u0000\"", "[[[[[[[[[[[[]]]]]]]]]]]]",
        ]
        for value in values {
            let text = """
                {"object":"page","entry":[{"id":\(value),"time":\(value),"messaging":[{"sender":{"id":\(value)},\
                "recipient":{"id":\(value)},"timestamp":\(value),"message":{"mid":\(value),"text":\(value),\
                "attachments":[{"type":\(value),"payload":{"url":\(value),"sticker_id":\(value)}}]}},\
                {"sender":{"id":"1"},"timestamp":\(value),"pass_thread_control":{"new_owner_app_id":\(value),"metadata":\(value)}},\
                {"sender":{"id":"1"},"timestamp":1,"delivery":{"mids":\(value),"watermark":\(value)}},\
                {"recipient":{"id":"1"},"timestamp":1,"app_roles":{"1":\(value)}}]}]}
                """
            do throws(WebhookParseError) {
                _ = try WebhookParser.parse(Array(text.utf8))
            } catch {
                #expect(error.code == .notJSON, "\(value): \(error)")
            }
        }
    }

    @Test func duplicateKeysDoNotCrash() {
        let text =
            "{\"object\":\"page\",\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"id\":\"2\",\"messaging\":[]}],\"entry\":[]}"
        do throws(WebhookParseError) {
            _ = try WebhookParser.parse(Array(text.utf8))
        } catch {
            #expect(error.code == .notJSON)
        }
    }

    @Test func deepButAllowedNestingInsideAnEvent() throws {
        let deep = String(repeating: "[", count: 56) + String(repeating: "]", count: 56)
        let text =
            "{\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"messaging\":[{\"sender\":{\"id\":\"2\"},\"timestamp\":1,\"foo\":\(deep)}]}]}"
        let batch = try WebhookParser.parse(Array(text.utf8))
        #expect(batch.events.first?.kind == .unknown(key: "foo"))
    }
}

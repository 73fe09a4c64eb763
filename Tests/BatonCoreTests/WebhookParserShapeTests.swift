import BatonCore
import Testing

/// Builds a body from event JSON texts: one entry per element, `messaging` and `standby` arrays.
private func body(_ entries: [(page: String, messaging: [String]?, standby: [String]?)]) -> [UInt8] {
    let parts = entries.map { entry -> String in
        var fields = ["\"id\":\"\(entry.page)\"", "\"time\":1730462400900"]
        if let messaging = entry.messaging { fields.append("\"messaging\":[\(messaging.joined(separator: ","))]") }
        if let standby = entry.standby { fields.append("\"standby\":[\(standby.joined(separator: ","))]") }
        return "{\(fields.joined(separator: ","))}"
    }
    return Array("{\"object\":\"page\",\"entry\":[\(parts.joined(separator: ","))]}".utf8)
}

private func textEvent(_ user: String, _ mid: String, _ timestamp: Int64, page: String = "109876543210987") -> String {
    "{\"sender\":{\"id\":\"\(user)\"},\"recipient\":{\"id\":\"\(page)\"},\"timestamp\":\(timestamp),\"message\":{\"mid\":\"\(mid)\",\"text\":\"hi \(mid)\"}}"
}

private func handover(_ key: String, _ fields: String) -> String {
    "{\"sender\":{\"id\":\"5012345678901234\"},\"recipient\":{\"id\":\"109876543210987\"},\"timestamp\":1730462402300,\"\(key)\":{\(fields)}}"
}

@Suite("Webhook parser: shapes")
struct WebhookParserShapeTests {
    @Test func twoEntriesWithBothArrays() throws {
        let batch = try WebhookParser.parse(
            body([
                (
                    "109876543210987", [textEvent("5012345678901234", "m_1", 1_730_462_401_000)],
                    [textEvent("4987654321098765", "m_2", 1_730_462_402_000)]
                ),
                (
                    "110223344556677",
                    [
                        textEvent("6123456789012345", "m_3", 1_730_462_403_000, page: "110223344556677"),
                        textEvent("6123456789012345", "m_4", 1_730_462_404_000, page: "110223344556677"),
                    ],
                    [textEvent("5012345678901234", "m_5", 1_730_462_405_000, page: "110223344556677")]
                ),
            ]))
        #expect(batch.ignored.isEmpty)
        #expect(batch.events.map(\.dedupeKey) == ["mid:m_1", "mid:m_2", "mid:m_3", "mid:m_4", "mid:m_5"])
        #expect(batch.events.map(\.channel) == [.messaging, .standby, .messaging, .messaging, .standby])
        #expect(
            batch.events.map(\.page.rawValue) == [
                "109876543210987", "109876543210987", "110223344556677", "110223344556677", "110223344556677",
            ])
        #expect(
            batch.events.map(\.user.rawValue) == [
                "5012345678901234", "4987654321098765", "6123456789012345", "6123456789012345", "5012345678901234",
            ])
    }

    @Test func numericAndStringAppIDsAreEqual() throws {
        let numeric = try WebhookParser.parse(
            body([
                (
                    "109876543210987",
                    [
                        handover(
                            "pass_thread_control",
                            "\"new_owner_app_id\":712345678901234,\"previous_owner_app_id\":263902037430900,\"metadata\":null"
                        )
                    ], nil
                )
            ]))
        let string = try WebhookParser.parse(
            body([
                (
                    "109876543210987",
                    [
                        handover(
                            "pass_thread_control",
                            "\"new_owner_app_id\":\"712345678901234\",\"previous_owner_app_id\":\"263902037430900\",\"metadata\":null"
                        )
                    ], nil
                )
            ]))
        try #require(numeric.events.count == 1 && string.events.count == 1)
        #expect(numeric.events[0].kind == string.events[0].kind)
        #expect(
            numeric.events[0].kind
                == .passThreadControl(newOwner: "712345678901234", previousOwner: .pageInbox, metadata: nil))
    }

    @Test func olderHandoverShapesWithMissingOwners() throws {
        let batch = try WebhookParser.parse(
            body([
                (
                    "109876543210987",
                    [
                        handover("pass_thread_control", "\"new_owner_app_id\":1234567890,\"metadata\":\"x\""),
                        handover("take_thread_control", "\"previous_owner_app_id\":123456789"),
                        handover("request_thread_control", "\"requested_owner_app_id\":1234567890,\"metadata\":null"),
                    ], nil
                )
            ]))
        #expect(batch.ignored.isEmpty)
        #expect(
            batch.events.map(\.kind) == [
                .passThreadControl(newOwner: "1234567890", previousOwner: nil, metadata: "x"),
                .takeThreadControl(previousOwner: "123456789", newOwner: nil, metadata: nil),
                .requestThreadControl(requestedOwner: "1234567890", metadata: nil),
            ])
    }

    @Test func handoverOnStandbyIsParsed() throws {
        let batch = try WebhookParser.parse(
            body([
                (
                    "109876543210987", nil,
                    [
                        handover(
                            "take_thread_control",
                            "\"previous_owner_app_id\":\"712345678901234\",\"new_owner_app_id\":\"263902037430900\"")
                    ]
                )
            ]))
        #expect(batch.events.first?.channel == .standby)
        #expect(batch.events.first?.kind.name == "take_thread_control")
    }

    @Test func malformedEventsAreIgnoredOneByOne() throws {
        let events = [
            textEvent("5012345678901234", "m_ok", 1_730_462_401_000),
            "{\"recipient\":{\"id\":\"109876543210987\"},\"timestamp\":1,\"message\":{\"mid\":\"m_x\",\"text\":\"no sender\"}}",
            "{\"sender\":42,\"recipient\":{\"id\":\"109876543210987\"},\"timestamp\":1,\"message\":{\"mid\":\"m_y\"}}",
            "{\"sender\":{\"id\":\"5012345678901234\"},\"timestamp\":1,\"message\":17}",
            "{\"sender\":{\"id\":\"5012345678901234\"},\"timestamp\":1,\"message\":{\"text\":\"no mid\"}}",
            "{\"sender\":{\"id\":\"5012345678901234\"},\"timestamp\":{},\"read\":{\"watermark\":1}}",
            "{\"sender\":{\"id\":\"5012345678901234\"},\"timestamp\":1,\"delivery\":{\"mids\":[]}}",
            "{\"sender\":{\"id\":true},\"timestamp\":1,\"read\":{\"watermark\":1}}",
            "[1,2,3]",
            "null",
            "{\"sender\":{\"id\":\"5012345678901234\"},\"timestamp\":1}",
            textEvent("5012345678901234", "m_ok2", 1_730_462_402_000),
        ]
        let batch = try WebhookParser.parse(body([("109876543210987", events, nil)]))
        #expect(batch.events.map(\.dedupeKey) == ["mid:m_ok", "mid:m_ok2"])
        #expect(batch.ignored.count == events.count - 2)
        #expect(batch.ignored.map(\.location) == (1...10).map { "entry[0].messaging[\($0)]" })
        #expect(batch.ignored[0].reason == "event has no sender.id")
        #expect(batch.ignored[1].reason == "sender is a number, not an object")
        #expect(batch.ignored[2].reason == "message is a number, not an object")
        #expect(batch.ignored[3].reason == "message has no mid")
        #expect(batch.ignored[8].reason == "event is null, not an object")
        #expect(batch.ignored.allSatisfy { !$0.reason.isEmpty && $0.page == "109876543210987" })
    }

    @Test func malformedEntriesAreIgnored() throws {
        let text =
            "{\"object\":\"page\",\"entry\":[7,{\"time\":1},{\"id\":\"109876543210987\",\"messaging\":{}},{\"id\":\"109876543210987\"},{\"id\":109876543210987,\"messaging\":[\(textEvent("5012345678901234", "m_1", 5))]}]}"
        let batch = try WebhookParser.parse(Array(text.utf8))
        #expect(batch.events.count == 1)
        #expect(batch.events.first?.page == "109876543210987")
        #expect(batch.ignored.map(\.location) == ["entry[0]", "entry[1]", "entry[2].messaging", "entry[3]"])
    }

    @Test func unknownEventKeysAreRecorded() throws {
        let events = [
            "{\"sender\":{\"id\":\"5012345678901234\"},\"recipient\":{\"id\":\"109876543210987\"},\"timestamp\":1730462402300,\"reaction\":{\"reaction\":\"love\",\"mid\":\"m_1\"}}",
            "{\"sender\":{\"id\":\"5012345678901234\"},\"recipient\":{\"id\":\"109876543210987\"},\"timestamp\":1730462402400,\"pass_thread_metadata\":{\"metadata\":\"x\"}}",
        ]
        let batch = try WebhookParser.parse(body([("109876543210987", events, nil)]))
        #expect(batch.events.map(\.kind) == [.unknown(key: "reaction"), .unknown(key: "pass_thread_metadata")])
        #expect(batch.events[0].kind.name == "unknown")
        #expect(batch.events[0].user == "5012345678901234")
        #expect(batch.events[0].dedupeKey == "109876543210987:5012345678901234:1730462402300:unknown.reaction:" + Turn.digest(of: batch.events[0].rawJSON))
    }

    @Test func missingTimestampFallsBackToEntryTime() throws {
        let event =
            "{\"sender\":{\"id\":\"5012345678901234\"},\"recipient\":{\"id\":\"109876543210987\"},\"delivery\":{\"watermark\":1730462400300}}"
        let batch = try WebhookParser.parse(body([("109876543210987", [event], nil)]))
        #expect(batch.events.first?.timestamp == 1_730_462_400_900)
        #expect(batch.events.first?.kind == .delivery(mids: [], watermark: 1_730_462_400_300))
    }

    @Test(arguments: [
        ("", WebhookParseError.Code.notJSON),
        ("not json", .notJSON),
        ("{\"object\":\"page\",\"entry\":[", .notJSON),
        ("[]", .notAnObject),
        ("\"page\"", .notAnObject),
        ("{}", .notPageObject),
        ("{\"object\":\"instagram\",\"entry\":[]}", .notPageObject),
        ("{\"object\":7,\"entry\":[]}", .notPageObject),
        ("{\"object\":\"page\"}", .missingEntry),
        ("{\"object\":\"page\",\"entry\":{}}", .missingEntry),
    ])
    func notAWebhook(text: String, code: WebhookParseError.Code) {
        #expect(throws: WebhookParseError.self) { try WebhookParser.parse(Array(text.utf8)) }
        do throws(WebhookParseError) {
            _ = try WebhookParser.parse(Array(text.utf8))
        } catch {
            #expect(error.code == code)
            #expect(!error.description.contains("\n"))
            #expect(error.description.hasPrefix("not a Messenger webhook body: "))
        }
    }

    @Test func deepNestingIsRefused() {
        let text =
            "{\"object\":\"page\",\"entry\":" + String(repeating: "[", count: 5000)
            + String(repeating: "]", count: 5000) + "}"
        do throws(WebhookParseError) {
            _ = try WebhookParser.parse(Array(text.utf8))
            Issue.record("deep nesting was accepted")
        } catch {
            #expect(error.code == .tooDeeplyNested)
        }
    }

    @Test func invalidUTF8IsNotJSON() {
        var bytes = Array("{\"object\":\"page\",\"entry\":[],\"x\":\"".utf8)
        bytes += [0xFF, 0xFE, 0xC3]
        bytes += Array("\"}".utf8)
        #expect(throws: WebhookParseError.self) { try WebhookParser.parse(bytes) }
    }

    @Test func emptyEntryListIsAnEmptyBatch() throws {
        #expect(try WebhookParser.parse(Array("{\"object\":\"page\",\"entry\":[]}".utf8)) == WebhookBatch())
    }
}

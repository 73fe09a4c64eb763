public import BatonCore
import Foundation

/// How an inbox record's typed content is stored: a versioned JSON document
/// (`{"v":1,"content":...}`) written once at intake and decoded as it was, so an event is
/// parsed from the webhook body exactly once.
enum InboxEncoding {
    /// The encoding written now.
    static let version = 1

    private struct Document: Codable {
        var v: Int
        var content: InboundEvent.Content
    }

    static func encode(_ content: InboundEvent.Content) throws(StoreError) -> String {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(Document(v: version, content: content)), as: UTF8.self)
        } catch {
            throw StoreError(.corrupt, "cannot encode an inbox record: \(error)")
        }
    }

    /// Decodes a stored record. Rows written before the typed encoding existed (schema 5 and
    /// older) have none: their event object is read from `raw_json` once, here, by the one
    /// webhook parser.
    static func decode(
        _ stored: String?, legacyChannel: String, page: PageID, rawJSON: String
    ) throws(StoreError) -> InboundEvent.Content {
        guard let stored else { return legacy(channel: legacyChannel, page: page, rawJSON: rawJSON) }
        let document: Document
        do { document = try JSONDecoder().decode(Document.self, from: Data(stored.utf8)) } catch {
            throw StoreError(.corrupt, "an inbox record does not decode: \(error)")
        }
        guard document.v <= version else {
            throw StoreError(.schema, "an inbox record has encoding \(document.v), newer than this Baton knows (\(version))")
        }
        return document.content
    }

    private static func legacy(channel: String, page: PageID, rawJSON: String) -> InboundEvent.Content {
        if channel == "ignored" {
            let object = (try? JSONSerialization.jsonObject(with: Data(rawJSON.utf8))) as? [String: String] ?? [:]
            return .ignored(
                IgnoredItem(
                    location: object["location"] ?? "?", reason: object["reason"] ?? "not an event", page: page,
                    rawJSON: object["item"] ?? rawJSON))
        }
        let quotedPage = (try? JSONEncoder().encode(page.rawValue)).map { Array($0) } ?? Array(#""""#.utf8)
        let quotedChannel = (try? JSONEncoder().encode(channel)).map { Array($0) } ?? Array(#""""#.utf8)
        let body = Array(#"{"object":"page","entry":[{"id":"#.utf8) + quotedPage + Array(#","time":0,"#.utf8) + quotedChannel
            + Array(":[".utf8) + Array(rawJSON.utf8) + Array("]}]}".utf8)
        if let event = (try? WebhookParser.parse(body))?.events.first { return .event(event) }
        return .ignored(IgnoredItem(location: "inbox", reason: "an event stored by an older Baton does not parse", page: page, rawJSON: rawJSON))
    }
}

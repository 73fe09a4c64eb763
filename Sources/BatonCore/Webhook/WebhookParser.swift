import Foundation

/// Turns the raw bytes of a Messenger webhook POST into typed events.
///
/// Walks every `entry` and both its `messaging` and `standby` arrays. A malformed entry or event is
/// set aside in ``WebhookBatch/ignored`` with a reason; only a body that is not a Messenger
/// webhook at all throws. Never traps on hostile input.
public enum WebhookParser {
    /// The deepest nesting of arrays and objects accepted; real webhook bodies stay under 15.
    public static let maximumDepth = 64

    /// Parses one webhook body.
    /// - Parameter body: The raw request body.
    /// - Returns: The events and the ignored parts, in body order.
    /// - Throws: ``WebhookParseError`` when the body is not JSON, not an object, its `object` is not
    ///   `"page"`, or it has no `entry` array.
    public static func parse(_ body: [UInt8]) throws(WebhookParseError) -> WebhookBatch {
        let root = try decode(body)
        guard let top = root.object else {
            throw WebhookParseError(
                code: .notAnObject, detail: "the top-level JSON value is \(root.kindName), not an object")
        }
        guard let object = top["object"] else {
            throw WebhookParseError(code: .notPageObject, detail: "no \"object\" field")
        }
        guard object.string == "page" else {
            let shown = object.string.map { "\"\($0.prefix(40))\"" } ?? object.kindName
            throw WebhookParseError(code: .notPageObject, detail: "\"object\" is \(shown), not \"page\"")
        }
        guard let entries = top["entry"]?.array else {
            let shown = top["entry"]?.kindName ?? "missing"
            throw WebhookParseError(code: .missingEntry, detail: "\"entry\" is \(shown), not an array")
        }
        var batch = WebhookBatch()
        for (index, entry) in entries.enumerated() {
            walkEntry(entry, location: "entry[\(index)]", into: &batch)
        }
        return batch
    }

    /// Checks the nesting depth, then decodes the bytes with `JSONDecoder`.
    private static func decode(_ body: [UInt8]) throws(WebhookParseError) -> WebhookJSONValue {
        guard !body.isEmpty else {
            throw WebhookParseError(code: .notJSON, detail: "the body is empty")
        }
        guard String(validating: body, as: UTF8.self) != nil else {
            throw WebhookParseError(code: .notJSON, detail: "the body is not valid UTF-8")
        }
        if let depth = nestingExceeded(body) {
            throw WebhookParseError(
                code: .tooDeeplyNested, detail: "arrays and objects nest deeper than \(depth) levels")
        }
        do {
            return try JSONDecoder().decode(WebhookJSONValue.self, from: Data(body))
        } catch {
            throw WebhookParseError(code: .notJSON, detail: "the body is not valid JSON")
        }
    }

    /// Returns the limit when brackets outside strings nest deeper than ``maximumDepth``.
    private static func nestingExceeded(_ body: [UInt8]) -> Int? {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in body {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maximumDepth { return maximumDepth }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
            default:
                break
            }
        }
        return nil
    }

    /// Walks one `entry[]` element: its `messaging`, `standby` and `changes` arrays.
    private static func walkEntry(_ entry: WebhookJSONValue, location: String, into batch: inout WebhookBatch) {
        guard let fields = entry.object else {
            batch.ignored.append(
                IgnoredItem(
                    location: location, reason: "entry is \(entry.kindName), not an object", rawJSON: entry.serialized))
            return
        }
        guard let pageID = fields["id"]?.idString else {
            batch.ignored.append(
                IgnoredItem(location: location, reason: "entry has no Page id", rawJSON: entry.serialized))
            return
        }
        let page = PageID(pageID)
        let entryTime = fields["time"]?.int64
        var sawEvents = false
        for channel in [WebhookChannel.messaging, .standby] {
            guard let value = fields[channel.rawValue] else { continue }
            sawEvents = true
            let arrayLocation = "\(location).\(channel.rawValue)"
            guard let events = value.array else {
                batch.ignored.append(
                    IgnoredItem(
                        location: arrayLocation, reason: "\(channel.rawValue) is \(value.kindName), not an array",
                        page: page, rawJSON: value.serialized))
                continue
            }
            for (index, event) in events.enumerated() {
                let context = WebhookEventContext(
                    page: page, channel: channel, entryTime: entryTime, location: "\(arrayLocation)[\(index)]")
                switch parseEvent(event, context: context) {
                case .event(let parsed): batch.events.append(parsed)
                case .ignored(let ignored): batch.ignored.append(ignored)
                }
            }
        }
        if let changes = fields["changes"] {
            sawEvents = true
            ignoreChanges(changes, page: page, location: "\(location).changes", into: &batch)
        }
        if !sawEvents {
            batch.ignored.append(
                IgnoredItem(
                    location: location, reason: "entry has no messaging, standby or changes array", page: page,
                    rawJSON: entry.serialized))
        }
    }

    /// Records the App Dashboard test envelope (`entry[].changes[]`) as ignored.
    private static func ignoreChanges(
        _ changes: WebhookJSONValue, page: PageID, location: String, into batch: inout WebhookBatch
    ) {
        guard let items = changes.array else {
            batch.ignored.append(
                IgnoredItem(
                    location: location, reason: "changes is \(changes.kindName), not an array", page: page,
                    rawJSON: changes.serialized))
            return
        }
        for (index, item) in items.enumerated() {
            let field = item.object?["field"]?.string.map { " (field \"\($0.prefix(40))\")" } ?? ""
            batch.ignored.append(
                IgnoredItem(
                    location: "\(location)[\(index)]",
                    reason: "dashboard test `changes` envelope\(field) is not delivered",
                    page: page, rawJSON: item.serialized))
        }
    }
}

import BatonCore
import Foundation
import Yams

/// Renders a YAML node as JSON text (plain `true`/`false`/`null` and numbers keep their type;
/// everything else is a string), for skill configurations written in transcripts.
enum JSONText {
    static func render(_ node: Node) -> String {
        switch node {
        case .mapping(let mapping):
            let members = mapping.map { quote($0.key.scalar?.string ?? "") + ":" + render($0.value) }
            return "{" + members.joined(separator: ",") + "}"
        case .sequence(let sequence):
            return "[" + sequence.map(render).joined(separator: ",") + "]"
        case .scalar(let scalar):
            let text = scalar.string
            guard scalar.style == .plain else { return quote(text) }
            if text == "true" || text == "false" { return text }
            if text == "null" || text == "~" { return "null" }
            if Double(text) != nil, text.first.map({ $0.isNumber || $0 == "-" }) == true { return text }
            return quote(text)
        case .alias:
            return "null"
        }
    }

    static func quote(_ text: String) -> String { JSONString.quoted(text) }
}

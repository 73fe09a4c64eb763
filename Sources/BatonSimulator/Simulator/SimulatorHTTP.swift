import Foundation

/// A request as the simulator's handlers see it, independent of the HTTP server.
struct SimulatorRequest: Sendable {
    var method: String
    var path: String
    var query: String?
    var contentType: String?
    var body: [UInt8]

    /// Path components without empty ones.
    var components: [String] { path.split(separator: "/").map(String.init) }

    /// Query parameters, then body parameters (JSON object or form-encoded) on top.
    /// Values that look like JSON (`{...}`, `[...]`) in query or form are parsed.
    var parameters: [String: JSONValue] {
        var result = Self.formDecode(query ?? "")
        let isForm = contentType?.contains("x-www-form-urlencoded") ?? false
        if !body.isEmpty {
            if !isForm, case .object(let members)? = Self.parseJSON(body) {
                for member in members { result[member.key] = member.value }
            } else {
                for (key, value) in Self.formDecode(String(decoding: body, as: UTF8.self)) { result[key] = value }
            }
        }
        return result
    }

    static func parseJSON(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    static func formDecode(_ text: String) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard let rawKey = parts.first else { continue }
            func decode(_ s: String) -> String { s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? s }
            let key = decode(rawKey)
            let value = parts.count > 1 ? decode(parts[1]) : ""
            if value.hasPrefix("{") || value.hasPrefix("["), let json = parseJSON(Array(value.utf8)) {
                result[key] = json
            } else {
                result[key] = .string(value)
            }
        }
        return result
    }
}

/// A response from the simulator's handlers.
struct SimulatorResponse: Sendable {
    var status: Int
    var body: [UInt8]
    /// Extra response headers (e.g. `X-Business-Use-Case-Usage`).
    var headers: [(String, String)] = []
    /// How long to hold the answer back (knob `lateAnswerDelays`); the change is already applied.
    var delay: Duration?

    static func json(_ value: JSONValue, status: Int = 200) -> SimulatorResponse {
        SimulatorResponse(status: status, body: value.metaSerialized(), headers: [])
    }

    static func encoded(_ value: some Encodable, status: Int = 200) -> SimulatorResponse {
        let data = (try? JSONEncoder().encode(value)) ?? Data("null".utf8)
        return SimulatorResponse(status: status, body: Array(data), headers: [])
    }

    static func error(_ message: String, status: Int) -> SimulatorResponse {
        json(.obj([("error", .obj([("message", .string(message))]))]), status: status)
    }
}

/// Meta's `created_time` format: `2024-11-01T12:00:00+0000`.
func graphTimestamp(milliseconds: Int64) -> String {
    let seconds = milliseconds / 1000
    let days = seconds / 86_400
    let secondOfDay = seconds % 86_400
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468
    let era = z / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    func pad(_ n: Int64, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2))+0000"
}

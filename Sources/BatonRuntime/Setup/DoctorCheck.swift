import Foundation

/// One line of `baton doctor`: a check of one app and Page, its outcome, and how to fix it.
public struct DoctorCheck: Sendable, Equatable, Encodable {
    /// How a check ended.
    public enum Status: String, Sendable, Encodable {
        /// The check holds.
        case pass = "PASS"
        /// The check does not hold; ``DoctorCheck/fix`` says what to do.
        case fail = "FAIL"
        /// The check could not run (no public URL, or an earlier check failed); not a failure.
        case skip = "SKIP"
    }

    /// The app's name (`-` for the whole file).
    public var app: String
    /// The Page's id (`-` for the whole file).
    public var page: String
    /// What was checked: `token`, `appsecret_proof`, `subscribed_fields`, `verify_handshake`,
    /// `default_app`, `take_control` (or `configuration`).
    public var check: String
    /// The outcome.
    public var status: Status
    /// What was seen.
    public var detail: String
    /// What to do about a failure (sometimes a note on a skip).
    public var fix: String?

    /// - Parameters:
    ///   - app: the app's name.
    ///   - page: the Page's id.
    ///   - check: what was checked.
    ///   - status: the outcome.
    ///   - detail: what was seen.
    ///   - fix: what to do, if anything.
    public init(app: String, page: String, check: String, status: Status, detail: String, fix: String? = nil) {
        (self.app, self.page, self.check, self.status, self.detail, self.fix) = (app, page, check, status, detail, fix)
    }

    /// `PASS|FAIL|SKIP <app> <page> <check>: <detail>[ — fix: ...]`.
    public var line: String {
        "\(status.rawValue) \(app) \(page) \(check): \(detail)" + (fix.map { " — fix: \($0)" } ?? "")
    }

    private enum CodingKeys: String, CodingKey { case app, page, check, status, detail, fix }

    /// Encodes every key, `fix` as `null` when there is none.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(app, forKey: .app)
        try container.encode(page, forKey: .page)
        try container.encode(check, forKey: .check)
        try container.encode(status, forKey: .status)
        try container.encode(detail, forKey: .detail)
        try container.encode(fix, forKey: .fix)
    }

    /// Checks as a pretty-printed JSON array.
    /// - Parameter checks: the checks.
    /// - Returns: the JSON text.
    public static func json(_ checks: [DoctorCheck]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(checks) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }
}

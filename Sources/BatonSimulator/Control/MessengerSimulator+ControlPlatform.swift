/// The control API for the Page's platform state: saved attachments, `subscribed_apps`, user profiles.
extension MessengerSimulator {
    /// `GET /control/attachments[?page=&app=&source=]`: every saved attachment (``AttachmentUpload``).
    func controlAttachments(query: String?) -> SimulatorResponse {
        let filters = SimulatorRequest.formDecode(query ?? "")
        let source = filters["source"]?.string.flatMap(AttachmentUpload.Source.init(rawValue:))
        if filters["source"] != nil, source == nil {
            return .error("source must be message_attachments or messages", status: 400)
        }
        return .encoded(attachmentUploads(page: filters["page"]?.string, app: filters["app"]?.string, source: source))
    }

    /// `POST /control/attachments/forget` with optional `{"page": "...", "attachment_ids": ["..."]}`:
    /// answers `{"forgotten": n}`.
    func controlForgetAttachments(_ body: JSONValue) -> SimulatorResponse {
        var ids: Set<String>?
        if let list = body["attachment_ids"] {
            guard let array = list.array else { return .error("attachment_ids must be an array of ids", status: 400) }
            ids = Set(array.compactMap(\.stringOrNumber))
        }
        let count = forgetAttachments(page: body["page"]?.stringOrNumber, ids: ids)
        return .json(.obj([("forgotten", .int(Int64(count)))]))
    }

    /// `GET /control/pages/{id}/subscribed_apps` (as the Graph edge answers), `POST` with
    /// `{"app_id": "...", "subscribed_fields": ["messages", ...]}` (a list or a comma-separated string;
    /// `null` or `[]` unsubscribes), `DELETE` with `{"app_id": "..."}`. No token needed.
    func controlSubscribedApps(_ method: String, page: String, body: JSONValue) -> SimulatorResponse {
        guard self.page(withID: page) != nil else { return .error("unknown page \(page)", status: 404) }
        switch method {
        case "GET":
            return .json(subscribedAppsList(page: page))
        case "POST", "DELETE":
            guard let app = body["app_id"]?.stringOrNumber else { return .error("app_id is required", status: 400) }
            var fields: [String]?
            if method == "POST", let value = body["subscribed_fields"], value != .null {
                fields = value.array?.compactMap(\.string) ?? (value.string ?? "").split(separator: ",").map { String($0).trimmedSpaces }
            }
            do {
                try setSubscribedFields(fields, app: app, page: page)
            } catch {
                return .error(error.message, status: error.code == .unknownApp ? 404 : 400)
            }
            return .json(subscribedAppsList(page: page))
        default:
            return .error("unknown control endpoint \(method) /control/pages/\(page)/subscribed_apps", status: 404)
        }
    }

    /// The profile fields of a control body: `name`, `first_name`, `last_name`, `profile_pic`,
    /// `locale`, `timezone` (a number of hours).
    static func profileFields(_ body: JSONValue) -> UserProfileFields {
        UserProfileFields(
            name: body["name"]?.string, firstName: body["first_name"]?.string, lastName: body["last_name"]?.string,
            profilePic: body["profile_pic"]?.string, locale: body["locale"]?.string, timezone: body["timezone"].flatMap(number))
    }

    /// `GET /control/users/{psid}/profile`, or `POST` with profile fields to change them.
    func controlProfile(_ method: String, psid: String, body: JSONValue) -> SimulatorResponse {
        if method == "POST" {
            do { try updateUserProfile(Self.profileFields(body), psid: psid) } catch { return .error(error.message, status: 404) }
        }
        guard let profile = userProfile(psid: psid) else { return .error("unknown psid \(psid)", status: 404) }
        return .encoded(profile)
    }
}

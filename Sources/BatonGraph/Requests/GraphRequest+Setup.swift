import BatonCore

extension GraphRequest {
    /// `GET /me?fields=...`: the node the access token belongs to (a Page token's Page).
    /// - Parameter fields: The fields to read, e.g. `id,name`.
    static func me(fields: String) -> GraphRequest {
        GraphRequest(method: .get, path: "/me", query: [("fields", fields)], body: nil, operation: "me")
    }

    /// `GET /{page-id}/subscribed_apps`: the apps installed on the Page and their webhook fields.
    static func subscribedApps(page: PageID) -> GraphRequest {
        GraphRequest(
            method: .get, path: "/\(percentEncode(page.rawValue))/subscribed_apps", query: [], body: nil,
            operation: "subscribed_apps")
    }

    /// `POST /{page-id}/subscribed_apps?subscribed_fields=a,b`: subscribes the calling app (the
    /// one the `appsecret_proof` and token name) to these webhook fields of the Page.
    static func subscribeApp(page: PageID, fields: [String]) -> GraphRequest {
        GraphRequest(
            method: .post, path: "/\(percentEncode(page.rawValue))/subscribed_apps",
            query: [("subscribed_fields", fields.joined(separator: ","))], body: nil, operation: "subscribe_app")
    }
}

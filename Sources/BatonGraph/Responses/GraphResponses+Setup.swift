import BatonCore
import Foundation

extension GraphResponses {
    private struct MeBody: Decodable {
        var id: GraphFlexibleID?
        var name: String?
    }

    private struct SubscribedAppBody: Decodable {
        var id: GraphFlexibleID?
        var name: String?
        var subscribed_fields: [String]?
    }

    private struct SubscribedAppsBody: Decodable {
        var data: [SubscribedAppBody]?
    }

    /// `{"id","name"}` of `GET /me`.
    static func tokenOwner(_ body: [UInt8], status: Int) throws(GraphError) -> TokenOwner {
        let decoded: MeBody
        do { decoded = try JSONDecoder().decode(MeBody.self, from: Data(body)) } catch {
            throw unexpected("the /me body is not a JSON object", status: status)
        }
        guard let id = decoded.id?.value, !id.isEmpty else { throw unexpected("/me answered no id", status: status) }
        return TokenOwner(id: id, name: decoded.name)
    }

    /// `{"data":[{"id","name","subscribed_fields":[...]}]}` of `GET /{page-id}/subscribed_apps`.
    static func subscribedApps(_ body: [UInt8], status: Int) throws(GraphError) -> [SubscribedApp] {
        let decoded: SubscribedAppsBody
        do { decoded = try JSONDecoder().decode(SubscribedAppsBody.self, from: Data(body)) } catch {
            throw unexpected("the subscribed_apps body is not the expected JSON object", status: status)
        }
        return (decoded.data ?? []).compactMap { app in
            guard let id = app.id?.value, !id.isEmpty else { return nil }
            return SubscribedApp(id: AppID(id), name: app.name, fields: app.subscribed_fields ?? [])
        }
    }
}

/// An id Meta sends as a JSON string or number.
private struct GraphFlexibleID: Decodable {
    var value: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            value = text
        } else {
            value = String(try container.decode(Int64.self))
        }
    }
}

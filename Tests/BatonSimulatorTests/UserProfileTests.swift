import BatonSimulator
import BatonTestSupport
import Foundation
import Testing

/// The User Profile API: `GET /{psid}?fields=...` with a token of the user's Page.
@Suite("User Profile API")
struct UserProfileTests {
    static let fields = "&fields=first_name,last_name,profile_pic,locale,timezone"

    @Test func answersTheFieldsGivenWhenTheUserWasCreated() async throws {
        try await withHarness { h in
            let body = #"{"page":"\#(IDs.pageA)","first_name":"Maria","last_name":"da Silva","locale":"pt_BR","timezone":-3,"profile_pic":"https://example.com/maria.jpg"}"#
            let psid = try #require(try await h.control("POST", "/control/users", body: body).json["psid"]?.string)
            let reply = try await h.graph("GET", "/\(psid)", query: Self.fields)
            #expect(reply.status == 200)
            #expect(reply.json["first_name"]?.string == "Maria")
            #expect(reply.json["last_name"]?.string == "da Silva")
            #expect(reply.json["locale"]?.string == "pt_BR")
            #expect(reply.json["timezone"]?.int == -3)
            #expect(reply.json["profile_pic"]?.string == "https://example.com/maria.jpg")
            #expect(reply.json["id"]?.string == psid)
            // The control API shows the stored profile.
            let raw = try await h.control("GET", "/control/users/\(psid)/profile")
            #expect(raw.json["first_name"]?.string == "Maria" && raw.json["timezone"]?.int == -3)
            #expect(await h.simulator.userProfile(psid: psid)?.name == "Maria da Silva")

            // Any app on the Page may ask, with the Page's token.
            let agent = try await h.graph("GET", "/\(psid)", app: IDs.agentApp, query: "&fields=first_name")
            #expect(agent.json == .object([.init("first_name", .string("Maria")), .init("id", .string(psid))]))
        }
    }

    @Test func aNameIsSplitAndTheRestIsGenerated() async throws {
        try await withHarness { h in
            let named = try #require(try await h.control("POST", "/control/users", body: #"{"page":"\#(IDs.pageA)","name":"Aiko Tanaka"}"#).json["psid"]?.string)
            let profile = try #require(await h.simulator.userProfile(psid: named))
            #expect(profile.firstName == "Aiko" && profile.lastName == "Tanaka")

            let anonymous = await h.simulator.createUser(page: IDs.pageA)
            let generated = try await h.graph("GET", "/\(anonymous)", query: Self.fields)
            #expect(generated.status == 200)
            #expect(generated.json["first_name"]?.string?.isEmpty == false)
            #expect(generated.json["last_name"]?.string?.isEmpty == false)
            let locale = try #require(generated.json["locale"]?.string)
            #expect(locale.count == 5 && locale.dropFirst(2).first == "_")
            let timezone = try #require(generated.json["timezone"].flatMap { value -> Double? in
                if case .double(let d) = value { return d }
                return value.int.map(Double.init)
            })
            #expect((-24...24).contains(timezone))
            #expect(generated.json["profile_pic"]?.string?.hasPrefix("https://") == true)
            // Generated from the PSID: the same user reads the same twice.
            #expect(try await h.graph("GET", "/\(anonymous)", query: Self.fields).json == generated.json)

            // Through the Swift API, with chosen fields.
            let chosen = await h.simulator.createUser(page: IDs.pageA, profile: UserProfileFields(firstName: "Lars", locale: "nb_NO", timezone: 1))
            #expect(await h.simulator.userProfile(psid: chosen)?.firstName == "Lars")
            #expect(await h.simulator.userProfile(psid: chosen)?.locale == "nb_NO")
            try await h.simulator.updateUserProfile(UserProfileFields(lastName: "Berg"), psid: chosen)
            #expect(await h.simulator.userProfile(psid: chosen)?.name == "Lars Berg")
        }
    }

    @Test func aPSIDOfAnotherPageOrNobodyDoesNotExist() async throws {
        try await withHarness { h in
            let onB = await h.simulator.createUser(page: IDs.pageB)
            let foreign = try await h.graph("GET", "/\(onB)", query: Self.fields)
            #expect(foreign.status == 400 && foreign.errorCode == 100 && foreign.errorSubcode == 33)
            #expect(foreign.errorMessage?.contains("Object with ID '\(onB)' does not exist") == true)
            #expect(foreign.json["error"]?["type"]?.string == "GraphMethodException")
            // With Page B's token it answers.
            #expect(try await h.graph("GET", "/\(onB)", token: IDs.tokenB, query: Self.fields).status == 200)
            let nobody = try await h.graph("GET", "/4000000000000001", query: Self.fields)
            #expect(nobody.errorCode == 100 && nobody.errorSubcode == 33)
            // An unknown token is still 190 first.
            #expect(try await h.graph("GET", "/\(onB)", token: "EAAnothing", query: Self.fields).errorCode == 190)
        }
    }

    @Test func theFieldsAPythonLibraryAsksForWork() async throws {
        try await withHarness { h in
            let psid = await h.simulator.createUser(page: IDs.pageA, name: "Omar Haddad")
            // fbmessenger's default fields include gender, which Meta answers only with a permission.
            let reply = try await h.graph("GET", "/v2.12/\(psid)", query: "&fields=first_name,last_name,profile_pic,locale,timezone,gender")
            #expect(reply.status == 200)
            #expect(reply.json["first_name"]?.string == "Omar" && reply.json["gender"] == nil)
            let unknown = try await h.graph("GET", "/\(psid)", query: "&fields=first_name,shoe_size")
            #expect(unknown.errorCode == 100 && unknown.errorMessage?.contains("shoe_size") == true)
            // Without fields: Graph's default, the name.
            let plain = try await h.graph("GET", "/\(psid)")
            #expect(plain.json == .object([.init("id", .string(psid)), .init("name", .string("Omar Haddad"))]))
            // A user node has no edges the simulator knows.
            #expect(try await h.graph("GET", "/\(psid)/friends").errorCode == 100)
        }
    }
}

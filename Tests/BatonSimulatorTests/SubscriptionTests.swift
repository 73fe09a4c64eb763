import BatonSimulator
import BatonTestSupport
import Foundation
import Testing

/// `subscribed_apps` is state per Page and app, and delivery follows it field by field.
@Suite("subscribed_apps")
struct SubscriptionTests {
    private static func fields(of app: String, in reply: GraphReply) -> [String]? {
        reply.json["data"]?.array?.first { $0["id"]?.string == app }?["subscribed_fields"]?.array?.compactMap(\.string)
    }

    @Test func subscribeListAndUnsubscribeRoundTrip() async throws {
        try await withHarness { h in
            let start = try await h.graph("GET", "/me/subscribed_apps")
            #expect(start.status == 200)
            #expect(Self.fields(of: IDs.bot, in: start) == SimulatorConfiguration.allSubscriptionFields)
            #expect(Self.fields(of: IDs.agentApp, in: start) == SimulatorConfiguration.allSubscriptionFields)

            // POST with the fields in the query, on the Page id path.
            let set = try await h.graph("POST", "/\(IDs.pageA)/subscribed_apps", app: IDs.agentApp, query: "&subscribed_fields=messages,standby,messaging_handovers")
            #expect(set.status == 200 && set.json == .object([.init("success", .bool(true))]))
            let listed = try await h.graph("GET", "/\(IDs.pageA)/subscribed_apps")
            #expect(Self.fields(of: IDs.agentApp, in: listed) == ["messages", "standby", "messaging_handovers"])
            #expect(await h.simulator.subscribedFields(app: IDs.agentApp, page: IDs.pageA) == ["messages", "standby", "messaging_handovers"])
            // Page B is untouched.
            #expect(await h.simulator.subscribedFields(app: IDs.agentApp, page: IDs.pageB) == SimulatorConfiguration.allSubscriptionFields)

            // POST with the fields in a JSON body, on /me.
            let body = JSONValue.object([.init("subscribed_fields", .string("messages,message_echoes"))])
            #expect(try await h.graph("POST", "/me/subscribed_apps", body: body).status == 200)
            #expect(await h.simulator.subscribedFields(app: IDs.bot, page: IDs.pageA) == ["messages", "message_echoes"])

            // DELETE unsubscribes the caller only.
            let deleted = try await h.graph("DELETE", "/me/subscribed_apps", app: IDs.agentApp)
            #expect(deleted.status == 200 && deleted.json["success"] == .bool(true))
            let after = try await h.graph("GET", "/me/subscribed_apps")
            #expect(after.json["data"]?.array?.compactMap { $0["id"]?.string } == [IDs.bot])
            #expect(await h.simulator.subscribedFields(app: IDs.agentApp, page: IDs.pageA) == nil)
        }
    }

    @Test func unknownOrMissingFieldsAreRefusedLikeMeta() async throws {
        try await withHarness { h in
            let unknown = try await h.graph("POST", "/me/subscribed_apps", query: "&subscribed_fields=messages,mesages")
            #expect(unknown.status == 400 && unknown.errorCode == 100)
            #expect(unknown.errorMessage?.contains("subscribed_fields[1]") == true)
            #expect(unknown.errorMessage?.contains("\"mesages\"") == true)
            // A library that subscribes without naming fields (as Graph allowed before v3.2).
            let missing = try await h.graph("POST", "/me/subscribed_apps")
            #expect(missing.errorCode == 100)
            // Nothing changed.
            #expect(await h.simulator.subscribedFields(app: IDs.bot, page: IDs.pageA) == SimulatorConfiguration.allSubscriptionFields)
            await #expect(throws: SimulatorError.self) {
                try await h.simulator.setSubscribedFields(["bogus"], app: IDs.bot, page: IDs.pageA)
            }
        }
    }

    @Test func deliveryFollowsTheFieldsOfEachAppAndPage() async throws {
        try await withHarness(defaultOwner: IDs.bot) { h in
            // The bot drops echoes and postbacks on Page A; the agent app unsubscribes from Page A.
            #expect(try await h.graph("POST", "/me/subscribed_apps", query: "&subscribed_fields=messages,messaging_handovers,standby").status == 200)
            #expect(try await h.graph("DELETE", "/me/subscribed_apps", app: IDs.agentApp).status == 200)
            let psid = await h.simulator.createUser(page: IDs.pageA)
            await h.simulator.userSends(text: "hi", page: IDs.pageA, user: psid)
            await h.simulator.userPostback(title: "Menu", payload: "MENU", page: IDs.pageA, user: psid)
            #expect(try await h.graph("POST", "/me/messages", body: Harness.text(psid, "hello")).status == 200)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            let bot = await h.receiver.events(for: IDs.bot)
            #expect(bot.count == 1)
            #expect(bot.first?.event["message"]?["text"]?.string == "hi")
            #expect(await h.receiver.events(for: IDs.agentApp).isEmpty)

            // On Page B both apps still get everything.
            let other = await h.simulator.createUser(page: IDs.pageB)
            await h.simulator.userSends(text: "hello B", page: IDs.pageB, user: other)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            #expect(await h.receiver.events(for: IDs.bot).last?.event["message"]?["text"]?.string == "hello B")
            #expect(await h.receiver.events(for: IDs.agentApp).map(\.channel) == ["standby"])

            // The agent app subscribes again through the control API, without handovers: it takes
            // control (its own call, no webhook to itself) and then gets messages but no pass back.
            let control = try await h.control("POST", "/control/pages/\(IDs.pageA)/subscribed_apps", body: #"{"app_id":"\#(IDs.agentApp)","subscribed_fields":["messages","standby"]}"#)
            #expect(control.status == 200)
            let listed = try await h.control("GET", "/control/pages/\(IDs.pageA)/subscribed_apps")
            #expect(listed.json["data"]?.array?.count == 2)
            #expect(try await h.graph("POST", "/me/take_thread_control", body: Harness.recipient(psid), app: IDs.agentApp).status == 200)
            #expect(try await h.graph("POST", "/me/pass_thread_control", body: Harness.recipient(psid), app: IDs.agentApp).status == 200)
            await h.simulator.userSends(text: "again", page: IDs.pageA, user: psid)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            let agent = await h.receiver.events(for: IDs.agentApp).dropFirst()
            #expect(agent.map(\.channel) == ["standby"])
            #expect(agent.first?.event["message"]?["text"]?.string == "again")
            // The bot got the take and the pass (handovers) and the message on messaging.
            let kinds = ["take_thread_control", "pass_thread_control", "message"]
            let botKeys = await h.receiver.events(for: IDs.bot).suffix(3).map { event in kinds.first { event.event[$0] != nil } ?? "" }
            #expect(botKeys == ["take_thread_control", "pass_thread_control", "message"])
            #expect(try await h.control("POST", "/control/pages/\(IDs.pageA)/subscribed_apps", body: #"{"app_id":"\#(IDs.agentApp)","subscribed_fields":["nope"]}"#).status == 400)
        }
    }

    @Test func configurationDecodesPageTokensAndSubscribedFields() throws {
        let json = """
            {"pages":[{"id":"1","name":"P","access_token":"t"}],
             "apps":[{"id":"2","name":"Bot","secret":"s","webhook_url":"http://127.0.0.1:1/webhook/bot",
                      "page_tokens":{"1":"own"},"subscribed_fields":["messages","standby"]},
                     {"id":"3","name":"Other","secret":"s3"}]}
            """
        let config = try JSONDecoder().decode(SimulatorConfiguration.self, from: Data(json.utf8))
        #expect(config.apps.first?.pageTokens == ["1": "own"])
        #expect(config.apps.first?.subscribedFields == ["messages", "standby"])
        #expect(config.apps.last?.pageTokens == [:] && config.apps.last?.subscribedFields == nil)
        let again = try JSONDecoder().decode(SimulatorConfiguration.self, from: try JSONEncoder().encode(config))
        #expect(again.apps == config.apps)
    }
}

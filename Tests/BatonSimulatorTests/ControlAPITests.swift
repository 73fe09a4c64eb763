import BatonSimulator
import BatonTestSupport
import Foundation
import Testing

@Suite("Control API over HTTP")
struct ControlAPITests {
    @Test func scriptAConversationOverHTTP() async throws {
        try await withHarness(defaultOwner: IDs.bot) { h in
            let created = try await h.control("POST", "/control/users", body: #"{"page":"\#(IDs.pageA)"}"#)
            #expect(created.status == 200)
            let psid = try #require(created.json["psid"]?.string)
            #expect(psid.count == 16 && psid.allSatisfy(\.isNumber))

            let message = try await h.control("POST", "/control/users/\(psid)/messages", body: #"{"text":"hello"}"#)
            #expect(message.json["mid"]?.string?.hasPrefix("m_") == true)
            _ = try await h.control("POST", "/control/users/\(psid)/messages", body: #"{"text":"Talk to a person","quick_reply_payload":"HUMAN"}"#)
            _ = try await h.control("POST", "/control/users/\(psid)/messages", body: #"{"postback":{"title":"Go","payload":"GO"}}"#)
            _ = try await h.control("POST", "/control/users/\(psid)/messages", body: #"{"attachment":{"type":"image","url":"https://example.com/x.png"}}"#)
            #expect(try await h.control("POST", "/control/users/\(psid)/messages", body: "{}").status == 400)

            let wait = try await h.control("POST", "/control/wait", body: #"{"timeout_seconds":5}"#)
            #expect(wait.status == 200)
            #expect(await h.receiver.events(for: IDs.bot).count == 4)

            let owner = try await h.control("GET", "/control/users/\(psid)/owner")
            #expect(owner.json["owner"]?.string == IDs.bot)
            let reply = try await h.control("POST", "/control/users/\(psid)/agent/reply", body: #"{"text":"Maria here"}"#)
            #expect(reply.status == 200)
            #expect(try await h.control("GET", "/control/users/\(psid)/owner").json["owner"]?.string == IDs.inbox)
            let pass = try await h.control("POST", "/control/users/\(psid)/agent/pass", body: #"{"metadata":"done"}"#)
            #expect(pass.status == 200)
            #expect(try await h.control("GET", "/control/users/\(psid)/owner").json["owner"]?.string == IDs.bot)

            let timeline = try await h.control("GET", "/control/users/\(psid)/timeline")
            let kinds = (timeline.json.array ?? []).compactMap { $0["kind"]?.string }
            #expect(kinds == ["user_message", "user_message", "user_postback", "user_message", "control", "send", "control"])
            let send = try #require(timeline.json.array?.first { $0["kind"]?.string == "send" })
            #expect(send["sent"]?["app_id"]?.string == IDs.inbox)
            #expect(send["sent"]?["messaging_type"]?.string == "RESPONSE")

            let advanced = try await h.control("POST", "/control/clock/advance", body: #"{"seconds":90000}"#)
            #expect(advanced.json["now_ms"]?.int != nil)
            #expect(try await h.graph("POST", "/me/messages", body: Harness.text(psid, "late")).errorSubcode == 2018278)
            #expect(try await h.control("GET", "/control/users/0000/timeline").status == 404)
            #expect(try await h.control("GET", "/control/deliveries").json.array?.isEmpty == false)
        }
    }

    @Test func configurationDecodesFromSnakeCaseJSON() throws {
        let json = """
            {"pages":[{"id":"1","name":"P","access_token":"t"}],
             "apps":[{"id":"2","name":"Bot","secret":"s","webhook_url":"http://127.0.0.1:1/webhook"}],
             "default_owner_app_id":"2","idle_timeout_seconds":60,
             "knobs":{"max_events_per_delivery":5,"duplicate_delivery_rate":0.5,"seed":9,
                      "hold_back_rate":0.1,"late_redelivery_rate":0.2,"late_delivery_delay_seconds":0.5,
                      "same_millisecond_rate":0.3,"apps_without_take_permission":["2"],
                      "request_control_only_without_default_app":true,"inbox_replies_as_echoes_only":true,
                      "late_answer_seconds":{"take_thread_control":15}}}
            """
        let config = try JSONDecoder().decode(SimulatorConfiguration.self, from: Data(json.utf8))
        #expect(config.pages.first?.accessToken == "t")
        #expect(config.apps.first?.webhookURL == "http://127.0.0.1:1/webhook")
        #expect(config.defaultOwnerAppID == "2")
        #expect(config.idleTimeout == .seconds(60))
        #expect(config.pageInboxAppID == "263902037430900")
        #expect(config.knobs.maxEventsPerDelivery == 5 && config.knobs.seed == 9)
        #expect(config.knobs.transientFailureCodes == [1200, 2, 613])
        #expect(config.knobs.holdBackRate == 0.1 && config.knobs.lateRedeliveryRate == 0.2)
        #expect(config.knobs.lateDeliveryDelay == .milliseconds(500) && config.knobs.sameMillisecondRate == 0.3)
        #expect(config.knobs.appsWithoutTakePermission == ["2"])
        #expect(config.knobs.requestControlOnlyWithoutDefaultApp && config.knobs.inboxRepliesAsEchoesOnly)
        #expect(config.knobs.lateAnswerDelays == ["take_thread_control": .seconds(15)])
        #expect(SimulatorConfiguration.Knobs() == SimulatorConfiguration.Knobs(
            holdBackRate: 0, lateRedeliveryRate: 0, lateDeliveryDelay: .milliseconds(250), sameMillisecondRate: 0,
            appsWithoutTakePermission: [], requestControlOnlyWithoutDefaultApp: false, inboxRepliesAsEchoesOnly: false, lateAnswerDelays: [:]))
        let again = try JSONDecoder().decode(SimulatorConfiguration.self, from: try JSONEncoder().encode(config))
        #expect(again.knobs == config.knobs && again.apps == config.apps)
    }
}

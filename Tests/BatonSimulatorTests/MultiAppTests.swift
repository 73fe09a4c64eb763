import BatonSimulator
import BatonTestSupport
import Foundation
import Testing

/// Several bot apps on one Page: each gets its own signed copy on the right channel, calls with its
/// own Page token, and the take permission is checked before the recipient.
@Suite("Several apps on one Page")
struct MultiAppTests {
    @Test func eachAppGetsItsCopyOnItsChannelSignedWithItsSecret() async throws {
        try await withHarness(defaultOwner: IDs.bot, agentSubscribed: false, customize: { config, urls in
            config.apps.append(billingApp(urls))
        }) { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            let mid = await h.simulator.userSends(text: "what is my balance?", page: IDs.pageA, user: psid)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            let botCopy = try #require(await h.receiver.events(for: IDs.bot).last)
            let billingCopy = try #require(await h.receiver.events(for: IDs.billing).last)
            #expect(botCopy.channel == "messaging")
            #expect(billingCopy.channel == "standby")
            #expect(botCopy.event["message"]?["mid"]?.string == mid)
            #expect(billingCopy.event["message"]?["mid"]?.string == mid)

            // The bot passes to billing: now billing answers on messaging and the bot listens on standby.
            let pass = Harness.recipient(psid, [.init("target_app_id", .string(IDs.billing))])
            #expect(try await h.graph("POST", "/me/pass_thread_control", body: pass).status == 200)
            let second = await h.simulator.userSends(text: "and the invoice?", page: IDs.pageA, user: psid)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            #expect(await h.receiver.events(for: IDs.billing).last?.channel == "messaging")
            #expect(await h.receiver.events(for: IDs.billing).last?.event["message"]?["mid"]?.string == second)
            #expect(await h.receiver.events(for: IDs.bot).last?.channel == "standby")

            // Every body was signed with its own app's secret, and only with it.
            let bodies = await h.receiver.received
            #expect(bodies.allSatisfy { $0.signatureValid })
            let billingBody = try #require(bodies.first { $0.appID == IDs.billing })
            #expect(billingBody.signature == MessengerCrypto.hubSignature256(body: billingBody.raw, secret: IDs.billingSecret))
            #expect(billingBody.signature != MessengerCrypto.hubSignature256(body: billingBody.raw, secret: IDs.botSecret))
        }
    }

    @Test func anAppWithoutStandbyGetsNothingForThreadsItDoesNotOwn() async throws {
        let fields = ["messages", "messaging_postbacks", "messaging_handovers", "message_echoes"]
        try await withHarness(defaultOwner: IDs.bot, agentSubscribed: false, customize: { config, urls in
            config.apps.append(billingApp(urls, subscribedFields: fields))
        }) { h in
            #expect(await h.simulator.subscribedFields(app: IDs.billing, page: IDs.pageA) == fields)
            let psid = await h.simulator.createUser(page: IDs.pageA)
            await h.simulator.userSends(text: "hi", page: IDs.pageA, user: psid)
            await h.simulator.userPostback(title: "Menu", payload: "MENU", page: IDs.pageA, user: psid)
            #expect(try await h.graph("POST", "/me/messages", body: Harness.text(psid, "hello from the bot")).status == 200)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            #expect(await h.receiver.events(for: IDs.bot).count == 3)
            #expect(await h.receiver.events(for: IDs.billing).isEmpty)

            // Once it owns the thread it gets the pass and the user's messages on messaging.
            let pass = Harness.recipient(psid, [.init("target_app_id", .string(IDs.billing))])
            #expect(try await h.graph("POST", "/me/pass_thread_control", body: pass).status == 200)
            await h.simulator.userSends(text: "refund", page: IDs.pageA, user: psid)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            let billing = await h.receiver.events(for: IDs.billing)
            #expect(billing.map(\.channel) == ["messaging", "messaging"])
            #expect(billing.first?.event["pass_thread_control"] != nil)
            #expect(billing.last?.event["message"]?["text"]?.string == "refund")
        }
    }

    @Test func appsCallWithTheirOwnPageTokensAndTheirOwnProof() async throws {
        let billingToken = "EAAJZCbillingZBownZCtokenZAforZDpageA"
        try await withHarness(defaultOwner: IDs.bot, agentSubscribed: false, customize: { config, urls in
            config.apps.append(billingApp(urls, pageTokens: [IDs.pageA: billingToken]))
        }) { h in
            #expect(await h.simulator.accessToken(app: IDs.billing, page: IDs.pageA) == billingToken)
            #expect(await h.simulator.accessToken(app: IDs.bot, page: IDs.pageA) == IDs.tokenA)

            // The token answers for its Page, by /me and by the Page id.
            let me = try await h.graph("GET", "/me", app: IDs.billing, token: billingToken, query: "&fields=id,name")
            #expect(me.status == 200)
            #expect(me.json["id"]?.string == IDs.pageA && me.json["name"]?.string == "Page A")
            #expect(try await h.graph("GET", "/\(IDs.pageA)", app: IDs.billing, token: billingToken, query: "&fields=id,name").status == 200)
            // ... and not for another Page.
            let other = try await h.graph("GET", "/\(IDs.pageB)", app: IDs.billing, token: billingToken, query: "&fields=id,name")
            #expect(other.status == 400 && other.errorCode == 100)
            // The Page's shared token still works with billing's proof, and names billing as the caller.
            let psid = await h.simulator.createUser(page: IDs.pageA)
            await h.simulator.userSends(text: "hi", page: IDs.pageA, user: psid)
            let take = try await h.graph("POST", "/me/take_thread_control", body: Harness.recipient(psid), app: IDs.billing)
            #expect(take.status == 200)
            #expect(await h.simulator.threadOwner(page: IDs.pageA, user: psid) == IDs.billing)
            // Billing's own token sends as billing.
            #expect(try await h.graph("POST", "/me/messages", body: Harness.text(psid, "billing here"), app: IDs.billing, token: billingToken).status == 200)
            #expect(await h.simulator.sentMessages(page: IDs.pageA, user: psid).last?.appID == IDs.billing)

            // Billing's token with the bot's proof: Meta's invalid proof error, whoever's secret it is.
            let wrongProof = MessengerCrypto.appSecretProof(accessToken: billingToken, secret: IDs.botSecret)
            let refused = try await h.graph("POST", "/me/messages", body: Harness.text(psid, "x"), app: IDs.billing, token: billingToken, proof: wrongProof)
            #expect(refused.status == 400 && refused.errorCode == 100)
            #expect(refused.errorMessage == "Invalid appsecret_proof provided in the API argument")
            let noProof = try await h.graph("GET", "/me", app: IDs.billing, token: billingToken, proof: "")
            #expect(noProof.errorCode == 100)
            // A token that matches nothing: 190.
            let unknown = try await h.graph("GET", "/me", token: "EAAnothing", query: "&fields=id,name")
            #expect(unknown.errorCode == 190 && unknown.json["error"]?["type"]?.string == "OAuthException")
        }
    }

    @Test func takePermissionIsCheckedBeforeTheRecipient() async throws {
        let knobs = SimulatorConfiguration.Knobs(appsWithoutTakePermission: [IDs.billing])
        try await withHarness(defaultOwner: IDs.bot, agentSubscribed: false, knobs: knobs, customize: { config, urls in
            config.apps.append(billingApp(urls))
        }) { h in
            // The probe: a take on the placeholder PSID "0".
            let withPermission = try await h.graph("POST", "/me/take_thread_control", body: Harness.recipient("0"), app: IDs.agentApp)
            #expect(withPermission.errorCode == 100 && withPermission.errorSubcode == 2018001)
            let without = try await h.graph("POST", "/me/take_thread_control", body: Harness.recipient("0"), app: IDs.billing)
            #expect(without.errorCode == 200)
            #expect(without.errorMessage?.hasPrefix("(#200) Permissions error") == true)
            // Neither changed anything, and both are in the call log.
            let probes = await h.simulator.graphCalls(user: "0")
            #expect(probes.map(\.code) == [100, 200])
            // Granted at run time, the probe answers "no matching user" again.
            await h.simulator.setTakeControlPermission(true, for: IDs.billing)
            #expect(try await h.graph("POST", "/me/take_thread_control", body: Harness.recipient("0"), app: IDs.billing).errorSubcode == 2018001)
        }
    }
}

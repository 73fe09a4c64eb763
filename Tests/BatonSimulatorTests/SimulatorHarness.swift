import AsyncHTTPClient
import BatonSimulator
import BatonTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Shared ids (those of the fixtures) and a running simulator + receiver + Graph client.
enum IDs {
    static let pageA = "109876543210987"
    static let pageB = "110223344556677"
    static let tokenA = "EAAJZCfakeZBpageZCtokenZAforZDtestsZC0123456789"
    static let tokenB = "EAAJZCsecondZBpageZCtoken"
    static let bot = "712345678901234"
    static let botSecret = "7f3c9a1e5b2d4c6f8a0b1c2d3e4f5a6b"
    static let agentApp = "823456789012345"
    static let agentSecret = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
    static let inbox = "263902037430900"
    /// A second bot app (not subscribed unless a test's `customize` adds it).
    static let billing = "934567890123456"
    static let billingSecret = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b"
    /// Every app's secret, by app id.
    static let secrets = [bot: botSecret, agentApp: agentSecret, billing: billingSecret]
}

/// One Messenger fixture, parsed.
func fixture(_ name: String) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: MessengerFixtures.data(name))
}

struct GraphReply: Sendable {
    var status: Int
    var json: JSONValue
    var headers: HTTPHeaders = [:]
    var errorCode: Int? { json["error"]?["code"]?.int.map(Int.init) }
    var errorSubcode: Int? { json["error"]?["error_subcode"]?.int.map(Int.init) }
}

/// A running simulator with a webhook receiver for both apps.
struct Harness: Sendable {
    let simulator: MessengerSimulator
    let receiver: WebhookReceiver
    let client: HTTPClient
    let base: String

    static func make(
        defaultOwner: String? = IDs.bot,
        agentSubscribed: Bool = true,
        knobs: SimulatorConfiguration.Knobs = .init(),
        failFirst: Int = 0,
        idleTimeout: Duration = .seconds(24 * 3600),
        customize: (inout SimulatorConfiguration, _ webhookURLs: [String: String]) -> Void = { _, _ in }
    ) async throws -> Harness {
        let receiver = WebhookReceiver(secrets: IDs.secrets, failFirst: failFirst)
        try await receiver.start()
        var urls: [String: String] = [:]
        for app in IDs.secrets.keys { urls[app] = await receiver.url(for: app) }
        var config = SimulatorConfiguration(
            pages: [.init(id: IDs.pageA, name: "Page A", accessToken: IDs.tokenA), .init(id: IDs.pageB, name: "Page B", accessToken: IDs.tokenB)],
            apps: [
                .init(id: IDs.bot, name: "Bot", secret: IDs.botSecret, webhookURL: await receiver.url(for: IDs.bot)),
                .init(id: IDs.agentApp, name: "Agent desk", secret: IDs.agentSecret, webhookURL: agentSubscribed ? await receiver.url(for: IDs.agentApp) : nil),
            ],
            defaultOwnerAppID: defaultOwner,
            idleTimeout: idleTimeout,
            knobs: knobs
        )
        customize(&config, urls)
        let simulator = MessengerSimulator(configuration: config)
        try await simulator.start()
        let base = await simulator.graphBaseURL
        return Harness(simulator: simulator, receiver: receiver, client: HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup), base: base)
    }

    func stop() async throws {
        try await simulator.shutdown()
        await receiver.stop()
        try await client.shutdown()
    }

    /// A Graph call as `app` (bot by default) with the right token and proof.
    func graph(
        _ method: String = "POST", _ path: String, body: JSONValue? = nil, app: String = IDs.bot,
        token: String = IDs.tokenA, proof: String? = nil, query: String = "", unversioned: Bool = false,
        timeout: Duration = .seconds(10)
    ) async throws -> GraphReply {
        let secret = IDs.secrets[app] ?? IDs.agentSecret
        let appProof = proof ?? MessengerCrypto.appSecretProof(accessToken: token, secret: secret)
        let explicitVersion = path.hasPrefix("/v") && path.dropFirst(2).first?.isNumber == true
        let root = explicitVersion || unversioned ? String(base.dropLast("/v25.0".count)) : base
        var request = HTTPClientRequest(url: "\(root)\(path)?access_token=\(token)&appsecret_proof=\(appProof)\(query)")
        request.method = HTTPMethod(rawValue: method)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.metaSerialized()))
        }
        let response = try await client.execute(request, timeout: .milliseconds(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let json = (try? JSONDecoder().decode(JSONValue.self, from: Data(bytes.readableBytesView))) ?? .null
        return GraphReply(status: Int(response.status.code), json: json, headers: response.headers)
    }

    /// A plain HTTP call to the control API.
    func control(_ method: String, _ path: String, body: String? = nil) async throws -> (status: Int, json: JSONValue) {
        let port = await simulator.port
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method == "GET" ? .GET : method == "DELETE" ? .DELETE : .POST
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let json = (try? JSONDecoder().decode(JSONValue.self, from: Data(bytes.readableBytesView))) ?? .null
        return (Int(response.status.code), json)
    }

    /// Send API text body.
    static func text(_ psid: String, _ text: String, type: String = "RESPONSE", metadata: String? = nil, extra: [JSONValue.Member] = []) -> JSONValue {
        var message: [JSONValue.Member] = [.init("text", .string(text))]
        if let metadata { message.append(.init("metadata", .string(metadata))) }
        return .object([
            .init("recipient", .object([.init("id", .string(psid))])),
            .init("messaging_type", .string(type)),
            .init("message", .object(message)),
        ] + extra)
    }

    static func recipient(_ psid: String, _ extra: [JSONValue.Member] = []) -> JSONValue {
        .object([.init("recipient", .object([.init("id", .string(psid))]))] + extra)
    }
}

extension Harness {
    /// Waits until no delivery is in flight, then gives the last event `app` received, checking that
    /// it came on the messaging channel.
    func lastMessagingEvent(for app: String) async throws -> JSONValue {
        try await simulator.waitUntilQuiet(timeout: .seconds(60))
        let last = try #require(await receiver.events(for: app).last)
        #expect(last.channel == "messaging")
        return last.event
    }

    /// A new user of page A who said "hi", their thread owned by the bot: as the default app,
    /// or (on a Page without one) by claiming the idle thread with a send.
    func userOwnedByBot(withDefaultApp: Bool) async throws -> String {
        let psid = await simulator.createUser(page: IDs.pageA)
        await simulator.userSends(text: "hi", page: IDs.pageA, user: psid)
        if !withDefaultApp { #expect(try await graph("POST", "/me/messages", body: Harness.text(psid, "claim")).status == 200) }
        return psid
    }

    /// The agent app gets control of `psid`'s thread: it takes it from the default app, or
    /// (on a Page without one) claims the idle thread with a send.
    func giveAgentControl(of psid: String, withDefaultApp: Bool) async throws {
        if withDefaultApp {
            #expect(try await graph("POST", "/me/take_thread_control", body: Harness.recipient(psid), app: IDs.agentApp).status == 200)
        } else {
            #expect(try await graph("POST", "/me/messages", body: Harness.text(psid, "claim"), app: IDs.agentApp).status == 200)
        }
    }
}

/// The first messaging event of the webhook fixture `name`.
func fixtureEvent(_ name: String) throws -> JSONValue {
    try #require(try fixture(name)["entry"]?.array?.first?["messaging"]?.array?.first)
}

/// Runs a test body with a harness and always stops it.
func withHarness(
    defaultOwner: String? = IDs.bot, agentSubscribed: Bool = true, knobs: SimulatorConfiguration.Knobs = .init(),
    failFirst: Int = 0, customize: (inout SimulatorConfiguration, _ webhookURLs: [String: String]) -> Void = { _, _ in },
    _ body: (Harness) async throws -> Void
) async throws {
    let harness = try await Harness.make(
        defaultOwner: defaultOwner, agentSubscribed: agentSubscribed, knobs: knobs, failFirst: failFirst, customize: customize)
    do {
        try await body(harness)
    } catch {
        try? await harness.stop()
        throw error
    }
    try await harness.stop()
}

/// The second bot app, with its webhook (and optionally its own Page tokens and fields).
func billingApp(_ urls: [String: String], pageTokens: [String: String] = [:], subscribedFields: [String]? = nil) -> SimulatorConfiguration.App {
    .init(id: IDs.billing, name: "Billing", secret: IDs.billingSecret, webhookURL: urls[IDs.billing], pageTokens: pageTokens, subscribedFields: subscribedFields)
}

extension GraphReply {
    /// The error message, if any.
    var errorMessage: String? { json["error"]?["message"]?.string }
}

import BatonCore
import BatonRuntime
import BatonTestSupport
import Foundation
import Logging
import Testing
import Yams

/// README's "Configuration reference" and the reader's declarations say the same thing.
@Suite("Configuration: README's reference")
struct ConfigurationReferenceTests {
    static let environment = ["BATON_APP_SECRET": "s", "BATON_VERIFY_TOKEN": "v", "BATON_PAGE_TOKEN": "t"]

    static let appsEnvironment = [
        "CONCIERGE_SECRET": "cs", "CONCIERGE_VERIFY_TOKEN": "cv", "CONCIERGE_PAGE_TOKEN": "ct",
        "BILLING_SECRET": "bs", "BILLING_VERIFY_TOKEN": "bv", "BILLING_PAGE_TOKEN": "bt",
    ]

    /// The first YAML block under README's `heading` ("### Configuration reference" by default).
    static func referenceBlock(under heading: String = "### Configuration reference") throws -> String {
        let readme = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: heading))
        let start = try #require(readme.range(of: "```yaml\n", range: section.upperBound..<readme.endIndex))
        let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        return String(readme[start.upperBound..<end.lowerBound])
    }

    /// The dotted paths of a YAML tree's leaves (list items as `[]`; an empty mapping is a leaf).
    static func leaves(_ value: Any, _ path: String) -> Set<String> {
        func join(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
        // A skill's `config` is the skill's own JSON, not keys of Baton's.
        if let map = value as? [String: Any], !map.isEmpty, !path.hasSuffix(".config") {
            return map.reduce(into: Set<String>()) { $0.formUnion(leaves($1.value, join($1.key))) }
        }
        if let list = value as? [Any], list.contains(where: { $0 is [String: Any] }) {
            return list.reduce(into: Set<String>()) { $0.formUnion(leaves($1, path + "[]")) }
        }
        return [path]
    }

    @Test func everyDocumentedKeyParses() throws {
        let block = try Self.referenceBlock()
        let configuration = try BatonConfiguration.parse(yaml: block, baseDirectory: "/tmp", environment: Self.environment)
        #expect(configuration.messenger.appSecret == "s")
        #expect(configuration.logLevel == .info)
        #expect(configuration.storage.location == .sqlite(path: "/tmp/baton.sqlite"))
    }

    @Test func theSeveralAppsExampleParses() throws {
        let block = try Self.referenceBlock(under: "### Several bots on one Page")
        let configuration = try BatonConfiguration.parse(yaml: block, baseDirectory: "/tmp", environment: Self.appsEnvironment)
        #expect(configuration.hostedApps.map(\.name) == ["concierge", "billing"])
        #expect(configuration.hostedApps[0].skills[0].escalation == .app("712345678901299"))
        #expect(configuration.hostedApps[1].skills[1].escalation == .back)
        #expect(configuration.webhookPath(for: configuration.hostedApps[1]) == "/webhook/billing")
    }

    @Test func everyKeyTheReaderKnowsIsDocumentedAndNoOther() throws {
        let documented = Self.leaves(try #require(try Yams.load(yaml: Self.referenceBlock())), "")
            .union(Self.leaves(try #require(try Yams.load(yaml: Self.referenceBlock(under: "### Several bots on one Page"))), ""))
        let declared = Set(BatonConfiguration.keys.map(\.path))
        #expect(declared.subtracting(documented).isEmpty, "not in README: \(declared.subtracting(documented).sorted())")
        #expect(documented.subtracting(declared).isEmpty, "README only: \(documented.subtracting(declared).sorted())")
    }

    @Test func everyDeclarationHasATypeAndADocLine() {
        let keys = BatonConfiguration.keys
        #expect(keys.count == Set(keys.map(\.path)).count, "a key declared twice")
        for key in keys {
            #expect(!key.type.isEmpty && !key.doc.isEmpty, "\(key)")
        }
        let port = keys.first { $0.path == "server.port" }
        #expect(port?.defaultValue == "8080")
        #expect(keys.first { $0.path == "messenger.app_secret" }?.defaultValue == nil, "required: no default")
        #expect(keys.first { $0.path == "outbox.retry_base_ms" }?.defaultValue == "200")
        #expect(keys.first { $0.path == "logging.level" }?.defaultValue == "info")
        #expect(keys.contains { $0.path == "messenger.pages[].default_app" })
    }

    /// Where README shows a section's value, it is the reader's default (messenger, storage and
    /// simulator show examples; the messages are abridged).
    @Test func readmeShowsTheDefaultsTheReaderUses() throws {
        let lines = try Self.referenceBlock().split(separator: "\n")
        let examples = ["messenger.", "storage.", "simulator.", "skills[].", "apps[]."]
        for key in BatonConfiguration.keys where !examples.contains(where: key.path.hasPrefix) && !key.path.hasSuffix("_message") {
            let name = key.path.split(separator: ".").last ?? ""
            guard let value = key.defaultValue,
                let line = lines.first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("\(name):") })
            else { continue }
            let shown = line.split(separator: ":", maxSplits: 1)[1].split(separator: "#")[0].trimmingCharacters(in: .whitespaces)
            #expect(shown == value, "\(key.path): README shows \(shown), the reader's default is \(value)")
        }
    }
}

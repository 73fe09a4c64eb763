import AsyncHTTPClient
import BatonCore
import BatonRuntime
import BatonTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Signed, mutated webhook bodies thrown at a real `POST /webhook`: never a crash, never a
/// 5xx, memory flat.
@Suite("Hostile input")
struct HostileInputTests {
    static let secret = "fuzz-secret"

    /// One mutation of a fixture body: flips, truncation, wrong types, deep nesting, huge
    /// numbers, invalid UTF-8, nulls.
    static func mutate(_ body: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = body
        switch rng.below(9) {
        case 0:  // random byte flips
            for _ in 0..<(1 + rng.below(8)) where !bytes.isEmpty {
                bytes[rng.below(bytes.count)] ^= UInt8(truncatingIfNeeded: 1 << rng.below(8))
            }
        case 1:  // truncation
            bytes = Array(bytes.prefix(rng.below(bytes.count + 1)))
        case 2:  // a string value becomes a number, an object or an array
            let text = String(decoding: bytes, as: UTF8.self)
            let replacement = ["12345678901234567890", "{}", "[]", "true", "-0.0e-999"][rng.below(5)]
            bytes = Array(text.replacingOccurrences(of: "\"5012345678901234\"", with: replacement).utf8)
        case 3:  // deep nesting inside the first event
            let depth = 50 + rng.below(5000)
            let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            let text = String(decoding: bytes, as: UTF8.self)
            bytes = Array(text.replacingOccurrences(of: "\"timestamp\":", with: "\"deep\":\(nested),\"timestamp\":").utf8)
        case 4:  // huge numbers
            let text = String(decoding: bytes, as: UTF8.self)
            let huge = ["1e400", "9" + String(repeating: "9", count: 400), "-9223372036854775809", "NaN"][rng.below(4)]
            bytes = Array(text.replacingOccurrences(of: "1730", with: huge).utf8)
        case 5:  // invalid UTF-8 in a string
            if let quote = bytes.indices.filter({ bytes[$0] == UInt8(ascii: "\"") }).dropFirst(rng.below(8)).first {
                bytes.insert(contentsOf: [0xFF, 0xC0, 0x80, 0xED, 0xA0, 0x80], at: quote + 1)
            }
        case 6:  // values become null
            let text = String(decoding: bytes, as: UTF8.self)
            let key = ["\"sender\":", "\"message\":", "\"entry\":", "\"messaging\":", "\"id\":", "\"mid\":"][rng.below(6)]
            if let range = text.range(of: key) {
                bytes = Array((text[..<range.upperBound] + "null," + text[range.upperBound...]).utf8)
            }
        case 7:  // random bytes spliced in
            let at = rng.below(bytes.count + 1)
            bytes.insert(contentsOf: (0..<(1 + rng.below(16))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
        default:  // a whole random body
            bytes = (0..<rng.below(256)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        }
        return bytes
    }

    static func residentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes / 1024
    }

    /// Sends the bodies numbered `range` from 16 concurrent clients; returns the count per status.
    static func blast(_ seeds: [[UInt8]], url: String, signature: WebhookSignature, range: Range<Int>) async throws -> [Int: Int] {
        let workers = 16
        return try await withThrowingTaskGroup(of: [Int: Int].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var statuses: [Int: Int] = [:]
                    for number in stride(from: range.lowerBound + worker, to: range.upperBound, by: workers) {
                        var rng = SplitMix64(seed: UInt64(number) &* 0x1234_5678_9ABC)
                        let body = Self.mutate(seeds[rng.below(seeds.count)], &rng)
                        var request = HTTPClientRequest(url: url)
                        request.method = .POST
                        request.headers.add(name: "X-Hub-Signature-256", value: signature.header(for: body))
                        request.body = .bytes(ByteBuffer(bytes: body))
                        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
                        _ = try await response.body.collect(upTo: 1 << 20)
                        statuses[Int(response.status.code), default: 0] += 1
                    }
                    return statuses
                }
            }
            var all: [Int: Int] = [:]
            for try await statuses in group { all.merge(statuses, uniquingKeysWith: +) }
            return all
        }
    }

    @Test func oneHundredThousandMutatedSignedBodiesNeverCrashOrGet5xx() async throws {
        // Only another page is configured: what the fuzz manages to record is processed and
        // its replies end at once as dead letters, with no network involved.
        try await withIntakeServer(secret: Self.secret, pageID: "1", maxBody: 64 * 1024) { (_, base) async throws in
            let url = base + "/webhook"
            let signature = WebhookSignature(appSecret: Self.secret)

            let seeds = try FileManager.default.contentsOfDirectory(atPath: MessengerFixtures.folder.path)
                .filter { $0.hasPrefix("webhook-") && !$0.contains("signature") && !$0.contains("verification") }
                .sorted().map { Array(try MessengerFixtures.data($0)) }
            let total = 100_000
            let warmUp = 5_000
            // A warm-up first, so the memory baseline includes caches and pools.
            var statuses = try await Self.blast(seeds, url: url, signature: signature, range: 0..<warmUp)
            let before = Self.residentMegabytes()
            statuses.merge(try await Self.blast(seeds, url: url, signature: signature, range: warmUp..<total), uniquingKeysWith: +)
            let after = Self.residentMegabytes()
            let sent = statuses.values.reduce(0, +)
            let serverErrors = statuses.filter { $0.key >= 500 }.values.reduce(0, +)
            print(
                "fuzz: \(sent) mutated signed bodies; by status \(statuses.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")); 5xx: \(serverErrors); resident memory \(Int(before)) MB -> \(Int(after)) MB"
            )
            #expect(sent == total)
            #expect(serverErrors == 0)
            #expect(Set(statuses.keys).isSubset(of: [200, 400, 413]))
            #expect((statuses[200] ?? 0) > 1000, "hardly any mutation reached the parser's event handling")
            // Still serving, and memory did not grow with the number of requests.
            #expect(try await http(.GET, url.replacingOccurrences(of: "/webhook", with: "/healthz")).status == 200)
            #expect(after - before < 150, "resident memory grew by \(Int(after - before)) MB")
        }
    }
}

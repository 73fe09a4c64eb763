import BatonRuntime
import BatonTestSupport
import Dispatch
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Many slow clients are bounded: connections are capped, stalled ones are closed after
/// the idle timeout, trickled bodies get 408, and a real webhook still gets through.
@Suite("Slow clients")
struct SlowClientTests {
    static let secret = "slow-client-secret-0123456789"

    /// A raw loopback TCP connection (blocking; used on Dispatch threads only).
    final class RawConnection: @unchecked Sendable {
        let fd: Int32

        init(port: Int) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw HarnessErrorText("connect failed: errno \(errno)") }
            var timeout = timeval(tv_sec: 60, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        func send(_ text: String) {
            var bytes = Array(text.utf8)
            _ = Glibc.send(fd, &bytes, bytes.count, Int32(MSG_NOSIGNAL))
        }

        /// Reads until the server closes the connection (true) or 60 s pass (false); what
        /// was read comes back too.
        func readUntilClosed() async -> (closed: Bool, text: String) {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    var received: [UInt8] = []
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    while true {
                        let count = recv(self.fd, &buffer, buffer.count, 0)
                        if count > 0 {
                            received += buffer[0..<count]
                            continue
                        }
                        // A signal (a worker's SIGCHLD, say) interrupted the read: read again.
                        if count < 0, errno == EINTR { continue }
                        // 0: orderly close; ECONNRESET also means the server dropped it.
                        let closed = count == 0 || errno == ECONNRESET
                        continuation.resume(returning: (closed, String(decoding: received, as: UTF8.self)))
                        return
                    }
                }
            }
        }

        deinit { close(fd) }
    }

    struct HarnessErrorText: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    @Test func stalledAndTricklingClientsAreCappedAndClosedWhileAWebhookStillGetsThrough() async throws {
        try await withIntakeServer(
            secret: Self.secret,
            configure: {
                $0.server.maxConnections = 8
                // The idle timeout is far above the body timeout so that a loaded machine,
                // which may run timers a second late, still lets the 408 win the race.
                $0.server.idleTimeoutSeconds = 4
                $0.server.bodyTimeoutSeconds = 0.3
            }
        ) { (server, base) async throws in
            let port = Int(base.split(separator: ":").last!)!
            // 24 clients that never finish their request head, and 4 that send a head
            // promising a body and then trickle one byte.
            var stalled: [RawConnection] = []
            for _ in 0..<24 {
                let connection = try RawConnection(port: port)
                connection.send("POST /webhook HTTP/1.1\r\nHost: baton\r\n")
                stalled.append(connection)
            }
            var trickling: [RawConnection] = []
            for _ in 0..<4 {
                let connection = try RawConnection(port: port)
                connection.send(
                    "POST /webhook HTTP/1.1\r\nHost: baton\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{")
                trickling.append(connection)
            }

            // A real signed webhook still gets its 200 (it waits its turn in the backlog).
            let body = Array(#"{"object":"page","entry":[]}"#.utf8)
            let signature = WebhookSignature(appSecret: Self.secret).header(for: body)
            let answer = try await http(
                .POST, base + "/webhook", headers: [("X-Hub-Signature-256", signature), ("Content-Type", "application/json")],
                body: body)
            #expect(answer.status == 200)

            for connection in stalled {
                let (closed, _) = await connection.readUntilClosed()
                #expect(closed, "a stalled connection was left open")
            }
            for connection in trickling {
                let (closed, text) = await connection.readUntilClosed()
                #expect(closed, "a trickling connection was left open")
                #expect(text.hasPrefix("HTTP/1.1 408"), "\(text)")
            }
            let metrics = try await http(.GET, base + "/metrics").body
            let peak = MetricSample.parse(metrics).first { $0.name == "baton_http_connections_peak" }.map { Int($0.value) }
            // The listener stops accepting at the cap; connections already taken in the same
            // accept batch (NIO reads up to 4 per wake-up) still come in.
            #expect(peak != nil && peak! <= 8 + 4, "peak connections: \(String(describing: peak))")
            print("slow clients: 28 slow connections against max_connections 8; peak open \(peak ?? -1)")
            #expect(server.metrics.value("baton_webhook_requests_total", [("status", "408")]) == 4)
        }
    }
}

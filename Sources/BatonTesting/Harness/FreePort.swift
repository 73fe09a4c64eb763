#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Finds a loopback port that is free right now and that nothing else on the machine will be
/// handed meanwhile: the port is for a server that binds it a moment later (often in another
/// process).
///
/// Ports are taken from below the kernel's ephemeral range. A port the kernel chose for a bind to
/// port 0 lies inside that range, where any outgoing connection may get it as its source port
/// before the server binds it ("Address already in use" under a busy test run); below the range
/// the kernel hands out nothing on its own. Each port is handed out once per process, and checked
/// free by binding it.
public enum FreePort {
    /// The first port of the range handed out.
    static let lowest = 20_000
    /// Ports handed out so far in this process, to start the next search after them.
    private static let handedOut = Mutex<Int?>(nil)

    /// A port number, or nil when no port in the range binds.
    public static func next() -> Int? {
        let (low, high) = range()
        let count = high - low
        guard count > 0 else { return bindAnyPort() }
        for _ in 0..<min(count, 4_096) {
            let port = handedOut.withLock { last -> Int in
                // Start somewhere random, so two test processes rarely walk the same ports.
                let next = last.map { $0 + 1 } ?? Int.random(in: 0..<count)
                last = next
                return low + next % count
            }
            if canBind(port) { return port }
        }
        return nil
    }

    /// The ports below the kernel's ephemeral range: [lowest, first ephemeral port).
    static func range() -> (Int, Int) {
        let ephemeralLow = readEphemeralLow() ?? 32_768
        return (lowest, max(lowest, ephemeralLow))
    }

    private static func readEphemeralLow() -> Int? {
        let fd = open("/proc/sys/net/ipv4/ip_local_port_range", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        // "32768\t60999\n": the first number.
        let digits = buffer.prefix(count).prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        return Int(String(decoding: digits, as: UTF8.self)).flatMap { $0 > 0 ? $0 : nil }
    }

    /// Whether a TCP socket can bind 127.0.0.1:`port` now.
    private static func canBind(_ port: Int) -> Bool {
        withLoopbackSocket(port: port) { _ in true } ?? false
    }

    /// A port the kernel picks (inside its ephemeral range): only when no range lies below it.
    private static func bindAnyPort() -> Int? {
        withLoopbackSocket(port: 0) { fd in
            var address = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let named = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            return named == 0 ? Int(UInt16(bigEndian: address.sin_port)) : nil
        } ?? nil
    }

    /// Binds a fresh TCP socket to 127.0.0.1:`port`, runs `body` on it, and closes it; nil when
    /// the bind fails.
    private static func withLoopbackSocket<T>(port: Int, _ body: (Int32) -> T) -> T? {
        guard let port16 = UInt16(exactly: port) else { return nil }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port16.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return bound == 0 ? body(fd) : nil
    }
}

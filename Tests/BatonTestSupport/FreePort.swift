import BatonTesting

/// A loopback port that is free right now (bound to port 0, read back, released).
/// - Throws: ``TestSupportError`` when the kernel would not give one.
public func freePort() throws -> Int {
    guard let port = FreePort.next() else { throw TestSupportError("no free loopback port") }
    return port
}

import BatonCore
import Crypto
import Foundation

/// The bytes of a skill library as read once, and their SHA-256: what a reload compares to
/// tell a changed library from an unchanged one, and what it copies (so the copy is exactly
/// what was hashed, even when the file is replaced again meanwhile).
struct LibraryContent: Sendable {
    /// The file's bytes.
    let bytes: [UInt8]
    /// Their SHA-256.
    let digest: LibraryDigest

    /// Reads the file at `path` whole.
    /// - Parameter path: the library.
    /// - Throws: a one-line reason (`cannot read PATH: ...`).
    init(path: String) throws(LibraryReadFailure) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LibraryReadFailure(
                message: "cannot read \(path): \(FileManager.default.fileExists(atPath: path) ? "not readable" : "file not found")")
        }
        self.bytes = Array(data)
        self.digest = LibraryDigest(of: bytes)
    }
}

/// A library's SHA-256, as lowercase hex.
struct LibraryDigest: Sendable, Hashable, CustomStringConvertible {
    /// 64 hex digits.
    let hex: String

    /// The digest of `bytes`.
    init(of bytes: [UInt8]) { hex = Hex.encode(SHA256.hash(data: bytes)) }

    /// The digest of the file at `path`, or nil when it cannot be read.
    static func of(file path: String) -> LibraryDigest? { try? LibraryContent(path: path).digest }

    /// The first 12 digits, for log lines.
    var description: String { String(hex.prefix(12)) }
}

/// Why a library could not be read.
struct LibraryReadFailure: Error {
    /// One line.
    let message: String
}

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The folder of content-addressed library copies a reload loads from (`.baton-skills/` beside
/// the SQLite file): a new version is copied to `<sha256>.so` and loaded from there, so the
/// configured path may be replaced again at once, and a copy's content never changes under
/// the process that mapped it. Copies are never deleted while the runtime runs (their code
/// stays mapped: libraries are never `dlclose`d); those a previous run left beside the SQLite
/// file are removed when the runtime starts (``removeLeftovers()``).
struct LibraryCopies: Sendable {
    /// The folder, created (mode 0700) at the first copy.
    let folder: String
    /// Whether the folder is this runtime's alone (beside its SQLite file), not the shared
    /// temporary one.
    let isOwn: Bool

    /// The copies of a runtime storing its state at `storage`: `.baton-skills/` beside the
    /// SQLite file, or in the temporary folder for other storage.
    init(storage: StorageLocation) {
        if let path = storage.sqlitePath, path.hasPrefix("/") {
            folder = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(".baton-skills").path
            isOwn = true
        } else {
            folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("baton-skills-\(getuid())").path
            isOwn = false
        }
    }

    /// Removes the copies a previous run left in the runtime's own folder; call it before any
    /// skill loads (none of them is mapped by this process yet). The shared temporary folder
    /// is left alone: another runtime may be running from it.
    /// - Returns: the names removed.
    @discardableResult
    func removeLeftovers() -> [String] {
        guard isOwn, let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.sorted().filter { unlink(folder + "/" + $0) == 0 }
    }

    /// The copy of `content`, written (mode 0755) unless a copy with its digest exists.
    /// - Parameters:
    ///   - content: the library as read.
    ///   - fileExtension: the original's extension (`so`), kept for tools that look at it.
    /// - Returns: the copy's path, `<folder>/<sha256>.<extension>`.
    /// - Throws: a one-line reason.
    func store(_ content: LibraryContent, fileExtension: String) throws(LibraryReadFailure) -> String {
        let suffix = fileExtension.isEmpty ? "" : "." + fileExtension
        let target = folder + "/" + content.digest.hex + suffix
        if LibraryDigest.of(file: target) == content.digest { return target }
        if mkdir(folder, 0o700) != 0 && errno != EEXIST {
            throw LibraryReadFailure(message: "cannot create \(folder): \(String(cString: strerror(errno)))")
        }
        // Nobody else may put or swap files in it.
        let attributes = (try? FileManager.default.attributesOfItem(atPath: folder)) ?? [:]
        guard attributes[.type] as? FileAttributeType == .typeDirectory,
            (attributes[.ownerAccountID] as? NSNumber)?.uint32Value == getuid(),
            ((attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o777) & 0o022 == 0
        else {
            throw LibraryReadFailure(message: "\(folder) must be a folder of this user that only it may write")
        }
        // Written beside the target and renamed over it: a reader sees the whole file or none.
        let temporary = folder + "/." + content.digest.hex + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
        guard descriptor >= 0 else { throw LibraryReadFailure(message: "cannot write \(temporary): \(String(cString: strerror(errno)))") }
        var written = 0
        let failure: Int32? = content.bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let count = write(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += count
            }
            // The umask may have taken bits away; the loader refuses group- or world-writable files.
            return fchmod(descriptor, 0o755) == 0 ? nil : errno
        }
        close(descriptor)
        if let failure {
            unlink(temporary)
            throw LibraryReadFailure(message: "cannot write \(temporary): \(String(cString: strerror(failure)))")
        }
        guard rename(temporary, target) == 0 else {
            let code = errno
            unlink(temporary)
            throw LibraryReadFailure(message: "cannot rename \(temporary) to \(target): \(String(cString: strerror(code)))")
        }
        return target
    }
}

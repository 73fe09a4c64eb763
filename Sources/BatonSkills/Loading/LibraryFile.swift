#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The checks made on a skill's file before `dlopen`.
enum LibraryFile {
    /// Refuses a missing file, anything but a readable regular file, and a file that
    /// its group or others may write.
    static func check(path: String) throws(SkillLoadError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                throw SkillLoadError(path: path, code: .fileNotFound, message: "file not found")
            }
            throw SkillLoadError(
                path: path, code: .notReadable, message: "cannot stat: \(String(cString: strerror(code)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw SkillLoadError(path: path, code: .notReadable, message: "not a regular file")
        }
        let mode = info.st_mode & 0o7777
        guard mode & 0o022 == 0 else {
            let octal = String(mode, radix: 8)
            throw SkillLoadError(
                path: path, code: .insecurePermissions,
                message: "refusing a group- or world-writable file (mode \(String(repeating: "0", count: max(0, 4 - octal.count)) + octal))")
        }
        guard access(path, R_OK) == 0 else {
            throw SkillLoadError(
                path: path, code: .notReadable, message: "not readable: \(String(cString: strerror(errno)))")
        }
    }
}

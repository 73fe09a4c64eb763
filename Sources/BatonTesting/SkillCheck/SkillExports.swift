import Foundation

/// The `exports` check of `baton skill check`: a skill exports one C function, its entry.
///
/// Reads the library's dynamic symbol table with `nm -D --defined-only` (binutils).
/// Language-mangled symbols (Swift `$s`, C++/Rust `_Z`, Rust v0 `_R`) are runtime
/// plumbing of those languages, not C functions, and are not counted.
enum SkillExports {
    /// The one function a skill may export.
    static let entry = "baton_skill_entry_v1"

    /// Runs the check on `path`.
    static func check(path: String) -> SkillCheckResult {
        let name = "exports"
        guard let nm = findTool("nm") else {
            return .init(name: name, passed: true, detail: "skipped: nm (binutils) is not on PATH")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: nm)
        process.arguments = ["-D", "--defined-only", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            return .init(name: name, passed: true, detail: "skipped: nm could not run (\(error))")
        }
        let data = pipe.fileHandleForReading.readAllRetryingInterrupts()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            return .init(name: name, passed: true, detail: "skipped: nm exited \(process.terminationStatus)")
        }
        let others = functions(inNMOutput: String(decoding: data, as: UTF8.self)).filter { $0 != entry }
        guard others.isEmpty else {
            let list = others.prefix(5).joined(separator: ", ") + (others.count > 5 ? ", ..." : "")
            // A Go c-shared library exports its runtime's cgo functions: hiding needs a version script.
            let fix = others.contains { $0.hasPrefix("_cgo_") }
                ? "link with a version script that keeps only the entry: go build -buildmode=c-shared"
                    + " -ldflags='-extldflags=-Wl,--version-script=exports.map', as baton skill new --lang go does"
                : "build with -fvisibility=hidden and export only the entry"
            return .init(
                name: name, passed: false,
                detail: "exports \(others.count) function\(others.count == 1 ? "" : "s") besides \(entry): \(list) (\(fix))")
        }
        return .init(name: name, passed: true, detail: "only \(entry)")
    }

    /// The C function names (text symbols, not language-mangled) in `nm -D --defined-only` output.
    static func functions(inNMOutput output: String) -> [String] {
        output.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard fields.count >= 3, ["T", "W", "i"].contains(fields[1]) else { return nil }
            let symbol = String(fields[2].split(separator: "@").first ?? fields[2])
            if symbol.hasPrefix("$s") || symbol.hasPrefix("$S") || symbol.hasPrefix("_Z") || symbol.hasPrefix("_R") { return nil }
            if ["_init", "_fini"].contains(symbol) { return nil }
            return symbol
        }.sorted()
    }

    private static func findTool(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

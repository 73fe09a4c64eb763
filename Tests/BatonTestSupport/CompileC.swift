import BatonTesting
import Foundation

/// Compiles a C skill into a shared library with nothing but `include/`, as a skill author
/// would: warnings are errors, only the entry symbol is exported, and the library gets mode
/// 0755 (the loader refuses group- or world-writable files).
/// - Parameters:
///   - source: the C file's path.
///   - library: the library's path (`lib<name>.so`).
///   - flags: more compiler flags (e.g. `-DCASE_FAIL`).
/// - Throws: ``TestSupportError`` with the compiler's output when it fails.
public func compileC(_ source: String, to library: String, flags: [String] = []) throws {
    let arguments = ["-shared", "-fPIC", "-fvisibility=hidden", "-Wall", "-Wextra", "-Werror", "-I", TestPaths.include]
    try runTool("cc", arguments + flags + [source, "-o", library])
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: library)
}

/// Runs a command-line tool found on PATH and waits for it.
/// - Parameters:
///   - tool: the tool's name (`cc`, `c++`, `nm`...).
///   - arguments: its arguments.
/// - Returns: its combined standard output and standard error.
/// - Throws: ``TestSupportError`` with that output when it does not exit with 0.
@discardableResult
public func runTool(_ tool: String, _ arguments: [String]) throws -> String {
    let process = ChildProcess(executableURL: URL(fileURLWithPath: "/usr/bin/env"), arguments: [tool] + arguments)
    let pipe = Pipe()
    try process.run(standardOutput: pipe.fileHandleForWriting.fileDescriptor, standardError: pipe.fileHandleForWriting.fileDescriptor)
    try pipe.fileHandleForWriting.close()
    let output = String(decoding: pipe.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw TestSupportError("\(tool) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(output)")
    }
    return output
}

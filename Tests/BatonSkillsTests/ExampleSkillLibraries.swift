import BatonTestSupport
import BatonTesting
import Foundation

/// Finds the example skills built by SwiftPM and builds the Rust one with `rustc`.
enum ExampleSkillLibraries {
    /// The path of `lib<name>.so` in the build folder.
    static func path(of name: String) -> String { TestPaths.library(name) }

    /// `rustc` on PATH (or in `~/.cargo/bin`), if there is one.
    static let rustc: String? = {
        var directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        if let home = ProcessInfo.processInfo.environment["HOME"] { directories.append(home + "/.cargo/bin") }
        return directories.map { $0 + "/rustc" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Whether the Rust example can be built here.
    static var rustcAvailable: Bool { rustc != nil }

    /// Why building the Rust example failed.
    struct RustBuildError: Error, CustomStringConvertible {
        var description: String
    }

    /// `libFrustrationDetector.so`, built once per test process into a temporary folder.
    static let frustrationDetector: Result<String, RustBuildError> = {
        guard let rustc else { return .failure(RustBuildError(description: "rustc is not on PATH")) }
        let source = TestPaths.packageRoot.appendingPathComponent("Plugins/FrustrationDetector/frustration.rs").path
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("baton-rust-skill-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        let output = folder.appendingPathComponent("libFrustrationDetector.so").path
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let process = ChildProcess(
                executableURL: URL(fileURLWithPath: rustc), arguments: ["--edition", "2021", "--crate-type", "cdylib", "-O", source, "-o", output])
            let errors = Pipe()
            try process.run(standardError: errors.fileHandleForWriting.fileDescriptor)
            try errors.fileHandleForWriting.close()
            let diagnostics = errors.fileHandleForReading.readAllRetryingInterrupts()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                let text = String(decoding: diagnostics, as: UTF8.self)
                return .failure(RustBuildError(description: "rustc failed (\(process.terminationStatus)): \(text)"))
            }
            // The loader refuses group- or world-writable files.
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: output)
            return .success(output)
        } catch {
            return .failure(RustBuildError(description: "rustc could not run: \(error)"))
        }
    }()
}

import ArgumentParser
import BatonTesting
import Foundation

/// `baton skill new NAME --lang c|swift|rust|cpp|go [--output DIR]`
struct SkillNew: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a buildable skill project (a responder, a README and one passing transcript).",
        discussion: """
            C: NAME.c, a Makefile and a copy of baton/skill.h in include/. Swift: a SwiftPM package with a \
            .dynamic library product. Rust: src/lib.rs and build.sh (rustc only, no crates). C++: NAME.cpp and a \
            Makefile (c++ -std=c++17, exceptions caught at the boundary). Go: skill.go, entry.c, go.mod and build.sh \
            (cgo, -buildmode=c-shared, linked with exports.map so only the entry is exported). The header is \
            taken from the package root above the baton executable (include/baton/skill.h).
            """)

    @Argument(help: "The skill's name: a letter, then letters, digits or '_'.")
    var name: String

    @Option(name: .long, help: "The language: c, swift, rust, cpp or go.")
    var lang: SkillTemplates.Language

    @Option(name: .long, help: "The folder to create (default: ./NAME). It must not exist or be empty.")
    var output: String?

    @Flag(name: .long, help: "With --lang c: plain C functions bound through libffi (a detector and a responder, no skill ABI).")
    var ffi = false

    func run() async throws {
        do { try SkillTemplates.validate(name: name) } catch {
            printError("skill new: \(error)")
            throw ExitCode(2)
        }
        if ffi, lang != .c {
            printError("skill new: --ffi writes plain C functions: use it with --lang c")
            throw ExitCode(2)
        }
        guard let header = Self.findHeader() else {
            printError("skill new: cannot find include/baton/skill.h in a folder above \(SkillLocator.executableFolder())")
            throw ExitCode(1)
        }
        let folder = URL(fileURLWithPath: output ?? name, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
        let manager = FileManager.default
        if let existing = try? manager.contentsOfDirectory(atPath: folder.path), !existing.isEmpty {
            printError("skill new: \(folder.path) exists and is not empty")
            throw ExitCode(1)
        }
        let headerText = try String(contentsOfFile: header, encoding: .utf8)
        let files: [String: String]
        do { files = try ffi ? SkillTemplates.functionFiles(name: name) : SkillTemplates.files(name: name, language: lang, header: headerText) } catch {
            printError("skill new: \(error)")
            throw ExitCode(1)
        }
        for (relative, text) in files.sorted(by: { $0.key < $1.key }) {
            let file = folder.appendingPathComponent(relative)
            try manager.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
            if relative.hasSuffix(".sh") { try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path) }
        }
        print("created \(folder.path) (\(lang.rawValue)):")
        for relative in files.keys.sorted() { print("  \(relative)") }
        print("next: see \(folder.path)/README.md (build, baton skill check, baton skill test)")
    }

    /// `include/baton/skill.h` in the nearest folder above the executable that has one.
    static func findHeader() -> String? {
        var folder = URL(fileURLWithPath: SkillLocator.executableFolder())
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("include/baton/skill.h").path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        return nil
    }
}

extension SkillTemplates.Language: ExpressibleByArgument {}

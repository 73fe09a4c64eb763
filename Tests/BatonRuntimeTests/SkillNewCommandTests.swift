import BatonTestSupport
import Foundation
import Testing

/// `baton skill new`: each template builds with its own toolchain, passes `baton skill check`
/// and its own transcript through `baton skill test`.
@Suite("baton skill new")
struct SkillNewCommandTests {
    /// `rustc` on PATH or in ~/.cargo/bin.
    static let rustc: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "/root"
        return (path.split(separator: ":").map(String.init) + [home + "/.cargo/bin"])
            .map { $0 + "/rustc" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// `go` on PATH (Debian's golang-go).
    static let go: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map { $0 + "/go" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Writes a project with `baton skill new`, returning its folder.
    static func new(_ name: String, lang: String, in parent: TemporaryDirectory) async throws -> URL {
        let folder = parent.url.appendingPathComponent(name)
        let run = try await CommandLineTests.baton(["skill", "new", name, "--lang", lang, "--output", folder.path], timeout: .seconds(30))
        try #require(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("created \(folder.path)"))
        let transcript = try String(contentsOf: folder.appendingPathComponent("transcripts/basic.yaml"), encoding: .utf8)
        #expect(transcript.contains("reply: \"Hello from \(name): hi\""))
        let readme = try String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("baton skill check") && readme.contains("baton skill test"))
        return folder
    }

    /// Checks the built library and runs the project's transcript.
    static func checkAndTest(_ library: String, project: URL) async throws {
        #expect(FileManager.default.fileExists(atPath: library), "\(library) was not built")
        let check = try await CommandLineTests.baton(["skill", "check", library], timeout: .seconds(60))
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("PASS  respond: plain text"))
        #expect(check.stdout.contains("PASS  exports: only baton_skill_entry_v1"), "\(check.stdout)")
        let transcript = project.appendingPathComponent("transcripts/basic.yaml").path
        let test = try await CommandLineTests.baton(["skill", "test", library, transcript], timeout: .seconds(120))
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
    }

    @Test func theCTemplateBuildsWithMakeAndPasses() async throws {
        let parent = try TemporaryDirectory(prefix: "baton-skill-new")
        let project = try await Self.new("hello_c", lang: "c", in: parent)
        #expect(FileManager.default.fileExists(atPath: project.appendingPathComponent("include/baton/skill.h").path))
        let make = try await SkillCheckCommandTests.run("/usr/bin/env", ["make"], in: project.path)
        try #require(make.status == 0, "make: \(make.stdout)\(make.stderr)")
        try await Self.checkAndTest(project.appendingPathComponent("libhello_c.so").path, project: project)
    }

    @Test(.enabled(if: rustc != nil, "rustc is not installed"))
    func theRustTemplateBuildsWithRustcAndPasses() async throws {
        let parent = try TemporaryDirectory(prefix: "baton-skill-new")
        let project = try await Self.new("hello_rust", lang: "rust", in: parent)
        let rustcFolder = URL(fileURLWithPath: try #require(Self.rustc)).deletingLastPathComponent().path
        let path = rustcFolder + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let build = try await SkillCheckCommandTests.run("/usr/bin/env", ["PATH=\(path)", "sh", "build.sh"], in: project.path)
        try #require(build.status == 0, "build.sh: \(build.stdout)\(build.stderr)")
        try await Self.checkAndTest(project.appendingPathComponent("libhello_rust.so").path, project: project)
    }

    @Test func theSwiftTemplateBuildsWithSwiftPMAndPasses() async throws {
        let parent = try TemporaryDirectory(prefix: "baton-skill-new")
        let project = try await Self.new("HelloSwift", lang: "swift", in: parent)
        // Its own scratch folder: the template is a separate package, not part of Baton's build.
        let scratch = parent.file("scratch")
        let build = try await SkillCheckCommandTests.run(
            "/usr/bin/env", ["swift", "build", "--package-path", project.path, "--scratch-path", scratch], in: project.path)
        try #require(build.status == 0, "swift build: \(build.stdout)\(build.stderr)")
        try await Self.checkAndTest(scratch + "/debug/libHelloSwift.so", project: project)
    }

    @Test func theCppTemplateBuildsWithMakeAndPasses() async throws {
        let parent = try TemporaryDirectory(prefix: "baton-skill-new")
        let project = try await Self.new("hello_cpp", lang: "cpp", in: parent)
        #expect(FileManager.default.fileExists(atPath: project.appendingPathComponent("include/baton/skill.h").path))
        let source = try String(contentsOf: project.appendingPathComponent("hello_cpp.cpp"), encoding: .utf8)
        #expect(source.contains(#"extern "C" BATON_SKILL_EXPORT"#) && source.contains("catch (...)"))
        let make = try await SkillCheckCommandTests.run("/usr/bin/env", ["make"], in: project.path)
        try #require(make.status == 0, "make: \(make.stdout)\(make.stderr)")
        #expect(make.stdout.contains("c++ -shared -fPIC -std=c++17 -fvisibility=hidden"), "\(make.stdout)")
        try await Self.checkAndTest(project.appendingPathComponent("libhello_cpp.so").path, project: project)
    }

    /// One Go build (slow on a small machine): the build line with the version script must give
    /// a library that exports only the entry, passes the checker and answers its transcript.
    @Test(.enabled(if: go != nil, "go is not installed (Debian: apt-get install golang-go): the Go template is not tested"))
    func theGoTemplateBuildsWithCgoAndPasses() async throws {
        let parent = try TemporaryDirectory(prefix: "baton-skill-new")
        let project = try await Self.new("hello_go", lang: "go", in: parent)
        let script = try String(contentsOf: project.appendingPathComponent("build.sh"), encoding: .utf8)
        #expect(script.contains("-buildmode=c-shared") && script.contains("--version-script=exports.map"))
        var environment = ["CGO_ENABLED=1"]
        if ProcessInfo.processInfo.environment["HOME"] == nil { environment.append("GOCACHE=\(parent.file("gocache"))") }
        let build = try await SkillCheckCommandTests.run("/usr/bin/env", environment + ["sh", "build.sh"], in: project.path)
        try #require(build.status == 0, "build.sh: \(build.stdout)\(build.stderr)")
        try await Self.checkAndTest(project.appendingPathComponent("libhello_go.so").path, project: project)
    }

    @Test func aBadNameOrAFullFolderIsRefused() async throws {
        let bad = try await CommandLineTests.baton(["skill", "new", "9lives", "--lang", "c"], timeout: .seconds(30))
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("skill name '9lives' must start with a letter"), "\(bad.stderr)")
        let folder = try TemporaryDirectory(prefix: "baton-skill-new")
        try Data("x".utf8).write(to: folder.url.appendingPathComponent("keep.txt"))
        let full = try await CommandLineTests.baton(["skill", "new", "ok", "--lang", "c", "--output", folder.path], timeout: .seconds(30))
        #expect(full.status == 1)
        #expect(full.stderr.contains("exists and is not empty"), "\(full.stderr)")
        let lang = try await CommandLineTests.baton(["skill", "new", "ok", "--lang", "cobol"], timeout: .seconds(30))
        #expect(lang.status != 0)
    }
}

import BatonSkills
import BatonTestSupport
import Foundation
import Testing

/// Libraries the loader must refuse, each with its exact one-line error; after each
/// refusal the host still loads and calls a good skill.
@Suite("Broken skills: loading")
struct BrokenSkillLoadTests {
    /// Loads `path`, expects `code` and `message`, then checks the host still works.
    private static func expectRefusal(
        _ harness: LoaderHarness, path: String, code: SkillLoadError.Code, message: String
    ) async throws {
        let error = #expect(throws: SkillLoadError.self) { try harness.loader.load(path: path) }
        #expect(error?.code == code)
        #expect(error?.path == path)
        #expect(error?.message == message)
        #expect(error?.description == "skill \(path): \(message)")
        try await harness.expectHostStillWorks()
    }

    @Test("a missing file")
    func missingFile() async throws {
        try await LoaderHarness.with { harness in
            let path = harness.bench.directory.appendingPathComponent("libnothing.so").path
            try await Self.expectRefusal(harness, path: path, code: .fileNotFound, message: "file not found")
        }
    }

    @Test("a directory")
    func directory() async throws {
        try await LoaderHarness.with { harness in
            try await Self.expectRefusal(
                harness, path: harness.bench.directory.path, code: .notReadable, message: "not a regular file")
        }
    }

    @Test("a text file named .so")
    func notELF() async throws {
        try await LoaderHarness.with { harness in
            let path = try harness.bench.write(
                "libtext.so", "This is a text file pretending to be a shared library; dlopen must refuse it.\n")
            try await Self.expectRefusal(
                harness, path: path, code: .notALibrary, message: "dlopen failed: \(path): invalid ELF header")
        }
    }

    @Test(
        "a world-writable (mode 0666) or group-writable (mode 0775) library",
        arguments: [
            ("writable", 0o666, "refusing a group- or world-writable file (mode 0666)"),
            ("groupwritable", 0o775, "refusing a group- or world-writable file (mode 0775)"),
        ])
    func writableByOthers(name: String, mode: Int, message: String) async throws {
        try await LoaderHarness.with { harness in
            let path = try harness.bench.compile("good.c", as: name)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            try await Self.expectRefusal(harness, path: path, code: .insecurePermissions, message: message)
        }
    }

    /// A fixture that breaks the ABI, and the refusal the loader gives it.
    struct RefusedFixture: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var source: String
        var code: SkillLoadError.Code
        var message: String

        init(_ testDescription: String, source: String, code: SkillLoadError.Code, message: String) {
            self.testDescription = testDescription
            self.source = source
            self.code = code
            self.message = message
        }
    }

    static let refusedFixtures: [RefusedFixture] = [
        .init("no baton_skill_entry_v1 symbol", source: "no_entry.c", code: .missingEntry, message: "missing entry symbol baton_skill_entry_v1"),
        .init("ABI major 2", source: "wrong_major.c", code: .wrongMajor, message: "skill ABI major 2 is not supported (host ABI 1.0)"),
        .init("a minor newer than the host's", source: "newer_minor.c", code: .newerMinor, message: "skill ABI 1.1 is newer than the host ABI 1.0"),
        .init("the entry returns NULL", source: "null_descriptor.c", code: .nullDescriptor, message: "baton_skill_entry_v1 returned NULL (the skill refused to load)"),
        .init("struct_size below the ABI 1.0 descriptor", source: "small_struct.c", code: .structTooSmall, message: "descriptor struct_size 16 is smaller than the ABI 1.0 size 88"),
    ]

    @Test("a fixture that breaks the ABI", arguments: refusedFixtures)
    func refusedFixture(_ fixture: RefusedFixture) async throws {
        try await LoaderHarness.with { harness in
            try await Self.expectRefusal(
                harness, path: try harness.bench.compile(fixture.source), code: fixture.code, message: fixture.message)
        }
    }

    @Test("a name already loaded")
    func duplicateName() async throws {
        try await LoaderHarness.with { harness in
            let first = try harness.bench.compile("good.c", as: "good_a")
            let second = try harness.bench.compile("good.c", as: "good_b")
            _ = try harness.loader.load(path: first)
            try await Self.expectRefusal(
                harness, path: second, code: .duplicateName,
                message: "a skill named \"good\" is already loaded from \(first)")
            // The same path twice is the same name too.
            let again = #expect(throws: SkillLoadError.self) { try harness.loader.load(path: first) }
            #expect(again?.code == .duplicateName)
        }
    }

    @Test("create returns NULL without a reason")
    func createNullSilently() async throws {
        try await LoaderHarness.with { harness in
            let path = try harness.bench.compile("create_null.c")
            let skill = try harness.loader.load(path: path)
            let error = #expect(throws: SkillLoadError.self) { try skill.makeInstance() }
            #expect(error?.code == .createFailed)
            #expect(error?.description == "skill \(path): create returned NULL")
            try await harness.expectHostStillWorks()
        }
    }

    @Test("create returns NULL after set_error")
    func createNullWithReason() async throws {
        try await LoaderHarness.with { harness in
            let path = try harness.bench.compile("create_null.c")
            let skill = try harness.loader.load(path: path)
            let error = #expect(throws: SkillLoadError.self) {
                try skill.makeInstance(configJSON: "{\"explain\": true}")
            }
            #expect(error?.code == .createFailed)
            #expect(error?.description == "skill \(path): create returned NULL: missing api_key in config")
            try await harness.expectHostStillWorks()
        }
    }
}

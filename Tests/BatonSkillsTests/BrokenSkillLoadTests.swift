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

    @Test("a world-writable library (mode 0666)")
    func worldWritable() async throws {
        try await LoaderHarness.with { harness in
            let path = try harness.bench.compile("good.c", as: "writable")
            try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: path)
            try await Self.expectRefusal(
                harness, path: path, code: .insecurePermissions,
                message: "refusing a group- or world-writable file (mode 0666)")
        }
    }

    @Test("a group-writable library (mode 0775)")
    func groupWritable() async throws {
        try await LoaderHarness.with { harness in
            let path = try harness.bench.compile("good.c", as: "groupwritable")
            try FileManager.default.setAttributes([.posixPermissions: 0o775], ofItemAtPath: path)
            try await Self.expectRefusal(
                harness, path: path, code: .insecurePermissions,
                message: "refusing a group- or world-writable file (mode 0775)")
        }
    }

    @Test("no baton_skill_entry_v1 symbol")
    func missingEntry() async throws {
        try await LoaderHarness.with { harness in
            try await Self.expectRefusal(
                harness, path: try harness.bench.compile("no_entry.c"), code: .missingEntry,
                message: "missing entry symbol baton_skill_entry_v1")
        }
    }

    @Test("ABI major 2")
    func wrongMajor() async throws {
        try await LoaderHarness.with { harness in
            try await Self.expectRefusal(
                harness, path: try harness.bench.compile("wrong_major.c"), code: .wrongMajor,
                message: "skill ABI major 2 is not supported (host ABI 1.0)")
        }
    }

    @Test("a minor newer than the host's")
    func newerMinor() async throws {
        try await LoaderHarness.with { harness in
            try await Self.expectRefusal(
                harness, path: try harness.bench.compile("newer_minor.c"), code: .newerMinor,
                message: "skill ABI 1.1 is newer than the host ABI 1.0")
        }
    }

    @Test("the entry returns NULL")
    func nullDescriptor() async throws {
        try await LoaderHarness.with { harness in
            try await Self.expectRefusal(
                harness, path: try harness.bench.compile("null_descriptor.c"), code: .nullDescriptor,
                message: "baton_skill_entry_v1 returned NULL (the skill refused to load)")
        }
    }

    @Test("struct_size below the ABI 1.0 descriptor")
    func structTooSmall() async throws {
        try await LoaderHarness.with { harness in
            try await Self.expectRefusal(
                harness, path: try harness.bench.compile("small_struct.c"), code: .structTooSmall,
                message: "descriptor struct_size 16 is smaller than the ABI 1.0 size 88")
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

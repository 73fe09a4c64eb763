/// The project templates of `baton skill new`: a responder that answers
/// "Hello from NAME: <text>", a passing transcript and a README, in C, Swift or Rust.
public enum SkillTemplates {
    /// A template language.
    public enum Language: String, CaseIterable, Sendable {
        case c, swift, rust
    }

    /// A name `skill new` refuses.
    public struct InvalidName: Error, CustomStringConvertible, Sendable {
        /// The refused name.
        public var name: String
        /// One line.
        public var description: String {
            "skill name '\(name)' must start with a letter and hold only ASCII letters, digits and '_' (at most 64)"
        }
    }

    /// Checks that `name` can be a C identifier, a Swift module and a Rust crate name.
    public static func validate(name: String) throws(InvalidName) {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first, scalars.count <= 64, first.isASCII, first.properties.isAlphabetic,
            scalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") })
        else { throw InvalidName(name: name) }
    }

    /// The project's files, by path relative to the project folder.
    /// - Parameters:
    ///   - name: the skill's name (validated with ``validate(name:)``).
    ///   - language: the template.
    ///   - header: the text of `include/baton/skill.h`, copied into C and Swift projects.
    public static func files(name: String, language: Language, header: String) -> [String: String] {
        var files = ["transcripts/basic.yaml": transcript(name: name), "README.md": readme(name: name, language: language)]
        switch language {
        case .c:
            files["\(name).c"] = cSource(name: name)
            files["Makefile"] = cMakefile(name: name)
            files["include/baton/skill.h"] = header
        case .swift:
            files["Package.swift"] = swiftManifest(name: name)
            files["Sources/\(name)/\(name).swift"] = swiftSource(name: name)
            files["Sources/CBatonSkill/include/baton/skill.h"] = header
            files["Sources/CBatonSkill/include/module.modulemap"] = "module CBatonSkill {\n    header \"baton/skill.h\"\n    export *\n}\n"
            files["Sources/CBatonSkill/skill.c"] = "/* The header's C target needs one source file. */\n#include <baton/skill.h>\n"
        case .rust:
            files["src/lib.rs"] = rustSource(name: name)
            files["build.sh"] = rustBuildScript(name: name)
        }
        return files
    }

    /// The library file the project's build writes, relative to the project folder.
    public static func libraryPath(name: String, language: Language) -> String {
        switch language {
        case .c, .rust: "lib\(name).so"
        case .swift: ".build/debug/lib\(name).so"
        }
    }

    /// `transcripts/basic.yaml`: one turn, one expected reply.
    static func transcript(name: String) -> String {
        """
        name: \(name) says hello
        turns:
          - user: hi
            expect:
              reply: "Hello from \(name): hi"

        """
    }

    /// The project's README: the five-minute path.
    static func readme(name: String, language: Language) -> String {
        let build: String
        switch language {
        case .c: build = "make                                   # cc -shared -fPIC -fvisibility=hidden -I include"
        case .swift: build = "swift build                            # a .dynamic library product"
        case .rust: build = "./build.sh                             # rustc --edition 2021 --crate-type cdylib -O"
        }
        let library = libraryPath(name: name, language: language)
        return """
            # \(name)

            A Baton responder skill (\(language.rawValue)) that answers every text message with
            "Hello from \(name): <text>". Made with `baton skill new \(name) --lang \(language.rawValue)`.

            ## From nothing to a tested skill

            ```sh
            \(build)
            baton skill check ./\(library)                         # ABI conformance, in a child process
            baton skill test ./\(library) transcripts/basic.yaml  # a conversation through the real pipeline
            ```

            Then change the reply in the source, add turns to `transcripts/` and list the library under
            `skills:` in Baton's configuration. The contract is `baton/skill.h` (copied here for C and Swift);
            every reply must be valid UTF-8 of at most 2000 characters, and nothing may unwind out of a call.

            """
    }
}

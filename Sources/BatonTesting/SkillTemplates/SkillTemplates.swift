/// The project templates of `baton skill new`: a responder that answers
/// "Hello from NAME: <text>", a passing transcript and a README, in C, Swift, Rust, C++ or Go.
public enum SkillTemplates {
    /// A template language.
    public enum Language: String, CaseIterable, Sendable {
        case c, swift, rust, cpp, go
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

    /// A template file that cannot be read: the resource bundle is not beside the executable.
    public struct MissingTemplate: Error, CustomStringConvertible, Sendable {
        /// The template, relative to `Templates/` in BatonTesting's resource bundle.
        public var template: String
        /// Where it was looked for.
        public var searched: String
        /// One line: what is missing and what to do.
        public var description: String {
            "cannot read the skill template \(template) from \(searched): keep the \(SkillTemplateFiles.bundleName) folder "
                + "the build writes beside the baton executable"
        }
    }

    /// Checks that `name` can be a C identifier, a Swift module, a Rust crate and a Go module name.
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
    ///   - header: the text of `include/baton/skill.h`, copied into C, C++, Go and Swift projects.
    /// - Throws: ``MissingTemplate`` when a template file cannot be read from the resource bundle.
    public static func files(name: String, language: Language, header: String) throws(MissingTemplate) -> [String: String] {
        let values = [
            "name": name, "language": language.rawValue, "build": buildLine(language),
            "library": libraryPath(name: name, language: language),
        ]
        var files: [String: String] = [:]
        for (path, template) in layout(name: name, language: language) {
            files[path] = try SkillTemplateFiles.text(of: template, filling: values)
        }
        switch language {
        case .c, .cpp, .go: files["include/baton/skill.h"] = header
        case .swift: files["Sources/CBatonSkill/include/baton/skill.h"] = header
        case .rust: break
        }
        return files
    }

    /// Which template file (under `Templates/`) makes which project file.
    static func layout(name: String, language: Language) -> [(path: String, template: String)] {
        let common = [("transcripts/basic.yaml", "basic.yaml"), ("README.md", "README.md")]
        switch language {
        case .c:
            return common + [("\(name).c", "c/skill.c"), ("Makefile", "c/Makefile")]
        case .swift:
            return common + [
                ("Package.swift", "swift/Package.swift"),
                ("Sources/\(name)/\(name).swift", "swift/skill.swift"),
                ("Sources/CBatonSkill/include/module.modulemap", "swift/module.modulemap"),
                ("Sources/CBatonSkill/skill.c", "swift/skill.c"),
            ]
        case .rust:
            return common + [("src/lib.rs", "rust/lib.rs"), ("build.sh", "rust/build.sh")]
        case .cpp:
            return common + [("\(name).cpp", "cpp/skill.cpp"), ("Makefile", "cpp/Makefile")]
        case .go:
            // skill.go, not NAME.go: a Go file name ending in _test, _linux... has a meaning of its own.
            return common + [
                ("go.mod", "go/go.mod"), ("skill.go", "go/skill.go"), ("entry.c", "go/entry.c"),
                ("exports.map", "go/exports.map"), ("build.sh", "go/build.sh"),
            ]
        }
    }

    /// The library file the project's build writes, relative to the project folder.
    public static func libraryPath(name: String, language: Language) -> String {
        switch language {
        case .c, .rust, .cpp, .go: "lib\(name).so"
        case .swift: ".build/debug/lib\(name).so"
        }
    }

    /// The README's build line, with the command the project's build runs.
    static func buildLine(_ language: Language) -> String {
        switch language {
        case .c: "make                                   # cc -shared -fPIC -fvisibility=hidden -I include"
        case .swift: "swift build                            # a .dynamic library product"
        case .rust: "./build.sh                             # rustc --edition 2021 --crate-type cdylib -O"
        case .cpp: "make                                   # c++ -shared -fPIC -std=c++17 -fvisibility=hidden -I include"
        case .go: "./build.sh                             # go build -buildmode=c-shared, exports.map keeps only the entry"
        }
    }
}

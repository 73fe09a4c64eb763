import BatonTesting
import Testing

/// The template files of `baton skill new`, read from BatonTesting's resource bundle.
@Suite("skill templates")
struct SkillTemplatesTests {
    @Test(arguments: SkillTemplates.Language.allCases)
    func everyTemplateIsFoundAndFilledIn(language: SkillTemplates.Language) throws {
        let files = try SkillTemplates.files(name: "Tmpl_1", language: language, header: "/* header */\n")
        #expect(files["README.md"]?.contains("--lang \(language.rawValue)") == true)
        #expect(files["README.md"]?.contains("./" + SkillTemplates.libraryPath(name: "Tmpl_1", language: language)) == true)
        #expect(files["transcripts/basic.yaml"]?.contains(#"reply: "Hello from Tmpl_1: hi""#) == true)
        for (path, text) in files {
            #expect(!text.contains("{{"), "\(path) has a placeholder left")
            #expect(!path.contains("{{"), "\(path) has a placeholder left")
        }
        let source = switch language {
        case .c: "Tmpl_1.c"
        case .swift: "Sources/Tmpl_1/Tmpl_1.swift"
        case .rust: "src/lib.rs"
        case .cpp: "Tmpl_1.cpp"
        case .go: "skill.go"
        }
        #expect(files[source]?.contains("Hello from Tmpl_1: ") == true)
    }
}

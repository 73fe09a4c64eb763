import Foundation

/// The template files of `baton skill new`: `Templates/` in BatonTesting's resource bundle.
///
/// A template is the project file with `{{key}}` where a value goes (`{{name}}`, `{{language}}`,
/// `{{build}}`, `{{library}}`); it is stored as `FILE.template`, so nothing builds or lints it as code.
enum SkillTemplateFiles {
    /// The resource bundle SwiftPM builds for BatonTesting, beside the executable that links it.
    #if os(Linux)
    static let bundleName = "Baton_BatonTesting.resources"
    #else
    static let bundleName = "Baton_BatonTesting.bundle"
    #endif

    /// The text of `Templates/<template>.template` with every `{{key}}` replaced by its value.
    static func text(of template: String, filling values: [String: String]) throws(SkillTemplates.MissingTemplate) -> String {
        let folder = try templatesFolder(for: template)
        let file = folder.appendingPathComponent(template + ".template")
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw SkillTemplates.MissingTemplate(template: template, searched: file.path)
        }
        var text = String(decoding: data, as: UTF8.self)
        for (key, value) in values {
            text = text.replacingOccurrences(of: "{{\(key)}}", with: value)
        }
        return text
    }

    /// `Templates/` in the resource bundle.
    ///
    /// `Bundle.module` stops the process when it finds no bundle, so the bundle beside the
    /// executable is looked for first: a `baton` copied away from its build folder reports
    /// what is missing instead of crashing.
    private static func templatesFolder(for template: String) throws(SkillTemplates.MissingTemplate) -> URL {
        let expected = Bundle.main.bundleURL.appendingPathComponent(bundleName)
        guard FileManager.default.fileExists(atPath: expected.path),
            let folder = Bundle.module.url(forResource: "Templates", withExtension: nil)
        else { throw SkillTemplates.MissingTemplate(template: template, searched: expected.path) }
        return folder
    }
}

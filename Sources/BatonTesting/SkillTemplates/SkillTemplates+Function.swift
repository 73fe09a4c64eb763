/// The plain-function project of `baton skill new NAME --lang c --ffi`.
extension SkillTemplates {
    /// The prototypes of the project's two functions.
    /// - Parameter name: the project's name (validated with ``validate(name:)``).
    /// - Returns: the detector `double NAME_score(const char *text, size_t length)` and the
    ///   responder `int NAME_reply(const char *text, size_t length, char *out, size_t out_capacity)`.
    public static func functionPrototypes(name: String) -> (detector: String, responder: String) {
        (
            "double \(name)_score(const char *text, size_t length)",
            "int \(name)_reply(const char *text, size_t length, char *out, size_t out_capacity)"
        )
    }

    /// The project's files, by path relative to its folder: `NAME.c` (the two functions), a
    /// Makefile, a README and `skills.yaml`, the configuration entries that bind them. The
    /// library the Makefile writes is `libNAME.so`.
    /// - Parameter name: the project's name (validated with ``validate(name:)``).
    /// - Throws: ``MissingTemplate`` when a template file cannot be read from the resource bundle.
    public static func functionFiles(name: String) throws(MissingTemplate) -> [String: String] {
        let prototypes = functionPrototypes(name: name)
        let values = ["name": name, "detector": prototypes.detector, "responder": prototypes.responder]
        var files: [String: String] = [:]
        let layout = [
            ("\(name).c", "c-ffi/function.c"), ("Makefile", "c-ffi/Makefile"), ("README.md", "c-ffi/README.md"),
            ("skills.yaml", "c-ffi/skills.yaml"),
        ]
        for (path, template) in layout {
            files[path] = try SkillTemplateFiles.text(of: template, filling: values)
        }
        return files
    }
}

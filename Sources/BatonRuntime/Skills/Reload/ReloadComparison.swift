/// What a reload tells apart in the configuration file: the `skills:` sections it applies,
/// and the rest, which only a restart applies.
enum ReloadComparison {
    /// The top-level sections outside `skills:` (and `apps[].skills`) that differ, by their
    /// names in the file (`server`, `apps`...), in file order; empty when only skills changed.
    /// - Parameters:
    ///   - running: the configuration the runtime runs with.
    ///   - new: the file as read now.
    static func sectionsOutsideSkills(changedFrom running: BatonConfiguration, to new: BatonConfiguration) -> [String] {
        let (old, new) = (withoutSkills(running), withoutSkills(new))
        guard old != new else { return [] }
        let sections: [(String, Bool)] = [
            ("server", old.server != new.server),
            ("messenger", old.messenger != new.messenger || old.graphAPIURL != new.graphAPIURL),
            ("handover", old.handover != new.handover),
            ("storage", old.storage != new.storage),
            ("outbox", old.retry != new.retry || old.outboxMaxAgeSeconds != new.outboxMaxAgeSeconds),
            ("logging", old.logLevel != new.logLevel),
            ("simulator", old.simulator != new.simulator),
            ("apps", old.apps != new.apps || old.appEntries != new.appEntries),
        ]
        let changed = sections.filter(\.1).map(\.0)
        return changed.isEmpty ? ["<file>"] : changed
    }

    /// `configuration` with every skill list emptied.
    private static func withoutSkills(_ configuration: BatonConfiguration) -> BatonConfiguration {
        var stripped = configuration
        stripped.skills = []
        stripped.apps = stripped.apps.map { app in
            var app = app
            app.skills = []
            return app
        }
        stripped.appEntries = stripped.appEntries.map { entry in
            var entry = entry
            entry.skills = nil
            return entry
        }
        return stripped
    }
}

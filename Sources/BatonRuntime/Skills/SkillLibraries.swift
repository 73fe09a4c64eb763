import BatonSkills
import Synchronization

/// The skill libraries a runtime loaded, each once: several `skills:` entries (in one app or
/// in several hosted apps) may name the same library, each with its own configuration and
/// instance.
final class SkillLibraries: Sendable {
    let loader: SkillLoader
    private let loaded = Mutex<[String: LoadedSkill]>([:])

    /// - Parameter loader: loads and checks libraries.
    init(loader: SkillLoader) { self.loader = loader }

    /// The library at `path`, loaded and checked the first time it is named.
    func load(path: String) throws(SkillLoadError) -> LoadedSkill {
        if let skill = loaded.withLock({ $0[path] }) { return skill }
        let skill = try loader.load(path: path)
        loaded.withLock { $0[path] = skill }
        return skill
    }
}

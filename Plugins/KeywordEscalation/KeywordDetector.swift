import CBatonSkill
import Foundation

/// One KeywordEscalation instance: the host table and the configured matcher.
///
/// Immutable after `create`, so `detect` may run concurrently on it.
final class KeywordDetector {
    /// The configuration document: `{"keywords": [...]}`, every key optional.
    private struct Config: Decodable {
        var keywords: [String]?
    }

    /// Why a configuration is refused.
    private struct ConfigError: Error {
        var description: String
    }

    let host: UnsafePointer<baton_host>
    let matcher: KeywordMatcher

    private init(host: UnsafePointer<baton_host>, matcher: KeywordMatcher) {
        self.host = host
        self.matcher = matcher
    }

    /// `baton_skill.create`: parses the configuration, or refuses it with `set_error`.
    static func create(
        host: UnsafePointer<baton_host>?, config: baton_str, call: OpaquePointer?
    ) -> UnsafeMutableRawPointer? {
        guard let host else { return nil }
        do {
            let matcher = try parse(config.text)
            return Unmanaged.passRetained(KeywordDetector(host: host, matcher: matcher)).toOpaque()
        } catch {
            _ = withBatonStr(error.description) { host.pointee.set_error?(call, $0) }
            return nil
        }
    }

    /// `baton_skill.destroy`: releases the instance `create` retained.
    static func destroy(_ instance: UnsafeMutableRawPointer?) {
        guard let instance else { return }
        Unmanaged<KeywordDetector>.fromOpaque(instance).release()
    }

    /// `baton_skill.detect`: scores 1 with reason `keyword: <word>` on a match, else 0.
    static func detect(_ instance: UnsafeMutableRawPointer?, call: OpaquePointer?, input: baton_str) -> Int32 {
        guard let instance, let call else { return Int32(BATON_E_INVALID_ARGUMENT) }
        let detector = Unmanaged<KeywordDetector>.fromOpaque(instance).takeUnretainedValue()
        let host = detector.host.pointee
        let text = detector.field("message.text", call: call) ?? detector.field("message.postback_title", call: call)
        guard let text, let keyword = detector.matcher.firstMatch(in: text) else {
            return withBatonStr("") { host.set_score?(call, 0, $0) ?? Int32(BATON_E_INTERNAL) }
        }
        return withBatonStr("keyword: \(keyword.original)") { host.set_score?(call, 1, $0) ?? Int32(BATON_E_INTERNAL) }
    }

    /// Reads one input field through the host, or `nil` when the message lacks it.
    private func field(_ key: String, call: OpaquePointer) -> String? {
        var out = baton_str(ptr: nil, len: 0)
        let status = withBatonStr(key) { host.pointee.input_field?(call, $0, &out) ?? Int32(BATON_E_INTERNAL) }
        guard status == Int32(BATON_OK), out.len > 0 else { return nil }
        return out.text
    }

    /// Decodes the configuration; a missing `keywords` key means the defaults.
    private static func parse(_ json: String) throws(ConfigError) -> KeywordMatcher {
        let invalid = ConfigError(description: "KeywordEscalation: config.keywords must be a non-empty list of words")
        let config: Config
        do {
            config = try JSONDecoder().decode(Config.self, from: Data((json.isEmpty ? "{}" : json).utf8))
        } catch {
            throw invalid
        }
        guard let keywords = config.keywords else {
            return KeywordMatcher(keywords: KeywordMatcher.defaultKeywords)
        }
        let matcher = KeywordMatcher(keywords: keywords)
        guard !matcher.keywords.isEmpty, matcher.keywords.count == keywords.count else { throw invalid }
        return matcher
    }
}

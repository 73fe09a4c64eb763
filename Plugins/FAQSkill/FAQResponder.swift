import CBatonSkill

/// One FAQSkill instance: the host table, the configuration and its prepared matcher.
///
/// Immutable after `create`, so `respond` may run concurrently on it.
final class FAQResponder {
    let host: UnsafePointer<baton_host>
    let config: FAQConfig
    let matcher: FAQMatcher

    private init(host: UnsafePointer<baton_host>, config: FAQConfig) {
        self.host = host
        self.config = config
        self.matcher = FAQMatcher(questions: config.entries.map(\.question))
    }

    /// `baton_skill.create`: checks the configuration, or refuses it with `set_error`.
    static func create(
        host: UnsafePointer<baton_host>?, config: baton_str, call: OpaquePointer?
    ) -> UnsafeMutableRawPointer? {
        guard let host else { return nil }
        do {
            let parsed = try FAQConfig(json: config.text)
            return Unmanaged.passRetained(FAQResponder(host: host, config: parsed)).toOpaque()
        } catch {
            _ = withBatonStr(error.description) { host.pointee.set_error?(call, $0) }
            return nil
        }
    }

    /// `baton_skill.destroy`: releases the instance `create` retained.
    static func destroy(_ instance: UnsafeMutableRawPointer?) {
        guard let instance else { return }
        Unmanaged<FAQResponder>.fromOpaque(instance).release()
    }

    /// `baton_skill.respond`: answers the best entry when it scores at least `min_score`.
    static func respond(_ instance: UnsafeMutableRawPointer?, call: OpaquePointer?, input: baton_str) -> Int32 {
        guard let instance, let call else { return Int32(BATON_E_INVALID_ARGUMENT) }
        let responder = Unmanaged<FAQResponder>.fromOpaque(instance).takeUnretainedValue()
        return responder.respond(call: call)
    }

    private func respond(call: OpaquePointer) -> Int32 {
        let table = host.pointee
        guard let text = field("message.text", call: call),
            let match = matcher.bestMatch(for: text),
            match.score >= config.minScore
        else {
            return table.no_answer?(call) ?? Int32(BATON_E_INTERNAL)
        }
        let entry = config.entries[match.index]
        var status = withBatonStr(entry.answer) { table.reply_text?(call, $0) ?? Int32(BATON_E_INTERNAL) }
        for button in entry.quickReplies ?? [] where status == Int32(BATON_OK) {
            status = withBatonStr(button.title) { title in
                withBatonStr(button.payload) { payload in
                    table.reply_quick_reply?(call, title, payload) ?? Int32(BATON_E_INTERNAL)
                }
            }
        }
        if status != Int32(BATON_OK) {
            _ = withBatonStr("FAQSkill: the host refused the reply (status \(status))") {
                table.set_error?(call, $0)
            }
        }
        return status
    }

    /// Reads one input field through the host, or `nil` when the message lacks it.
    private func field(_ key: String, call: OpaquePointer) -> String? {
        var out = baton_str(ptr: nil, len: 0)
        let status = withBatonStr(key) { host.pointee.input_field?(call, $0, &out) ?? Int32(BATON_E_INTERNAL) }
        guard status == Int32(BATON_OK), out.len > 0 else { return nil }
        return out.text
    }
}

import CBatonSkill
import Logging
import Synchronization

/// The `baton_host` tables given to skills: one per loaded skill, allocated once and
/// never freed (a skill may keep the pointer for the life of the process). Its `log`
/// callback finds the skill's logger by the table's address.
enum HostTables {
    private static let loggers = Mutex<[UInt: Logger]>([:])

    /// Allocates a table whose `log` writes to `logger`.
    static func make(logger: Logger) -> UnsafePointer<baton_host> {
        let table = UnsafeMutablePointer<baton_host>.allocate(capacity: 1)
        table.initialize(to: filled())
        setLogger(logger, for: UnsafePointer(table))
        return UnsafePointer(table)
    }

    /// Points the table's `log` at another logger (once the skill's name is known).
    static func setLogger(_ logger: Logger, for table: UnsafePointer<baton_host>) {
        let key = UInt(bitPattern: table)
        loggers.withLock { $0[key] = logger }
    }

    private static func logger(for table: UnsafePointer<baton_host>?) -> Logger? {
        guard let table else { return nil }
        let key = UInt(bitPattern: table)
        return loggers.withLock { $0[key] }
    }

    /// The largest log line kept, in Unicode scalars.
    private static let maxLogScalars = 8192

    private static func log(_ table: UnsafePointer<baton_host>?, _ level: Int32, _ message: baton_str) {
        guard let logger = logger(for: table) else { return }
        let text = BatonStr.lossy(message, maxScalars: maxLogScalars).text
        let swiftLevel: Logger.Level =
            switch level {
            case BATON_LOG_DEBUG: .debug
            case BATON_LOG_INFO: .info
            case BATON_LOG_WARNING: .warning
            default: .error
            }
        logger.log(level: swiftLevel, "\(text)")
    }

    private static func filled() -> baton_host {
        var host = baton_host()
        host.struct_size = UInt32(MemoryLayout<baton_host>.size)
        host.abi_major = UInt32(BATON_SKILL_ABI_MAJOR)
        host.abi_minor = UInt32(BATON_SKILL_ABI_MINOR)
        host.reserved = 0
        host.log = { table, level, message in
            HostTables.log(table, level, message)
        }
        host.reply_text = { call, text in
            CallRegistry.context(call)?.replyText(text) ?? BATON_E_STATE
        }
        host.reply_quick_reply = { call, title, payload in
            CallRegistry.context(call)?.quickReply(title: title, payload: payload) ?? BATON_E_STATE
        }
        host.reply_attachment_json = { call, json in
            CallRegistry.context(call)?.attachment(json: json) ?? BATON_E_STATE
        }
        host.no_answer = { call in
            CallRegistry.context(call)?.noAnswer() ?? BATON_E_STATE
        }
        host.set_score = { call, score, reason in
            CallRegistry.context(call)?.setScore(score, reason: reason) ?? BATON_E_STATE
        }
        host.set_error = { call, message in
            CallRegistry.context(call)?.setError(message) ?? BATON_E_STATE
        }
        host.input_field = { call, key, out in
            guard let context = CallRegistry.context(call) else {
                out?.pointee = baton_str(ptr: nil, len: 0)
                return BATON_E_STATE
            }
            return context.inputField(key: key, out: out)
        }
        return host
    }
}

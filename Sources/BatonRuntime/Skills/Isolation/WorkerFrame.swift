/// One message between the runtime and a skill worker (`baton skill host`): a 4-byte big-endian
/// payload length, a 1-byte type, then the payload (docs/skill-isolation.md has the table).
///
/// The runtime writes `start` once, then one `respond` or `detect` at a time; the worker answers
/// `ready` or `refused` to `start`, and `reply`, `noReply`, `score` or `failed` to each call. A
/// worker dying of a signal may first write `dying` (from its signal handler).
public struct WorkerFrame: Sendable, Equatable {
    /// The frame's type byte; an open set, so an unknown byte still decodes (and is refused by
    /// whoever reads it).
    public struct Kind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: UInt8
        /// - Parameter rawValue: the type byte.
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// Runtime to worker, first: ``WorkerStart`` as JSON.
        public static let start = Kind(rawValue: 0x01)
        /// Worker to runtime: the skill loaded and its instance exists; ``WorkerReady`` as JSON.
        public static let ready = Kind(rawValue: 0x02)
        /// Worker to runtime: the library or its `create` refused; one UTF-8 line, then the worker exits.
        public static let refused = Kind(rawValue: 0x03)
        /// Runtime to worker: call `respond`; the input document (SkillInput JSON) as UTF-8.
        public static let respond = Kind(rawValue: 0x10)
        /// Runtime to worker: call `detect`; the input document as UTF-8.
        public static let detect = Kind(rawValue: 0x11)
        /// Worker to runtime: the reply, in ReplyMessage's stored JSON form.
        public static let reply = Kind(rawValue: 0x20)
        /// Worker to runtime: a reply that is a text alone (no quick replies), as UTF-8: the
        /// common case, without JSON on either side.
        public static let replyText = Kind(rawValue: 0x23)
        /// Worker to runtime: `respond` had no answer; empty.
        public static let noReply = Kind(rawValue: 0x21)
        /// Worker to runtime: the score as an 8-byte big-endian IEEE 754 double, then the reason in UTF-8.
        public static let score = Kind(rawValue: 0x22)
        /// Worker to runtime: the call failed; ``WorkerFailure`` as JSON.
        public static let failed = Kind(rawValue: 0x2F)
        /// Worker to runtime, from a signal handler: 1 byte cause (0 crash, 1 out of memory), 1 byte signal.
        public static let dying = Kind(rawValue: 0x7F)

        /// `respond`, `0x10`...
        public var description: String {
            let names: [UInt8: String] = [
                0x01: "start", 0x02: "ready", 0x03: "refused", 0x10: "respond", 0x11: "detect", 0x20: "reply", 0x21: "noReply",
                0x22: "score", 0x23: "replyText", 0x2F: "failed", 0x7F: "dying",
            ]
            return names[rawValue] ?? "0x" + String(rawValue, radix: 16)
        }
    }

    /// The largest payload either side accepts: a longer length is a broken peer.
    public static let maxPayload = 16 << 20
    /// Length and type.
    public static let headerSize = 5

    /// The type.
    public var kind: Kind
    /// The payload, at most ``maxPayload`` bytes.
    public var payload: [UInt8]

    /// - Parameters:
    ///   - kind: the type.
    ///   - payload: the payload.
    public init(_ kind: Kind, _ payload: [UInt8] = []) {
        self.kind = kind
        self.payload = payload
    }

    /// A frame whose payload is UTF-8 text.
    public init(_ kind: Kind, text: String) { self.init(kind, Array(text.utf8)) }

    /// The payload as UTF-8 text (invalid bytes replaced).
    public var text: String { String(decoding: payload, as: UTF8.self) }

    /// The frame's bytes: header, then payload.
    public var bytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.headerSize + payload.count)
        let length = UInt32(truncatingIfNeeded: payload.count)
        bytes += [UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF), kind.rawValue]
        bytes += payload
        return bytes
    }

    /// The payload length a header announces, or nil when it is over ``maxPayload``.
    /// - Parameter header: the first four bytes, big-endian.
    public static func payloadLength(_ header: UInt32) -> Int? {
        let length = Int(header)
        return length <= maxPayload ? length : nil
    }

    /// The first whole frame in `bytes` and how many bytes it took; nil when `bytes` holds less.
    /// - Parameter bytes: bytes read so far.
    /// - Throws: ``WorkerFrameError`` when the announced length is over ``maxPayload``.
    public static func first(in bytes: [UInt8]) throws(WorkerFrameError) -> (frame: WorkerFrame, length: Int)? {
        guard bytes.count >= headerSize else { return nil }
        let header = bytes.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard let length = payloadLength(header) else { throw WorkerFrameError.tooLong(Int(header)) }
        guard bytes.count >= headerSize + length else { return nil }
        return (WorkerFrame(Kind(rawValue: bytes[4]), Array(bytes[headerSize..<(headerSize + length)])), headerSize + length)
    }
}

/// A peer that broke the framing.
public enum WorkerFrameError: Error, Equatable, CustomStringConvertible {
    /// A header announced more than ``WorkerFrame/maxPayload`` bytes.
    case tooLong(Int)
    /// The stream ended inside a frame.
    case truncated

    /// One line.
    public var description: String {
        switch self {
        case .tooLong(let length): "a frame announced \(length) bytes, over the \(WorkerFrame.maxPayload)-byte limit"
        case .truncated: "the stream ended inside a frame"
        }
    }
}

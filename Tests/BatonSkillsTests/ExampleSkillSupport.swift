import BatonCore
import BatonSkills
import BatonTestSupport
import NIOPosix

/// Small helpers shared by the example skill tests.
enum ExampleSkill {
    /// Loads one example library with a fresh loader (duplicate names are refused per loader).
    static func load(_ path: String) throws -> LoadedSkill {
        let loader = SkillLoader(logger: testLogger("example-skill-tests"), threadPool: NIOThreadPool.singleton)
        return try loader.load(path: path)
    }

    /// Loads one example library and makes an instance with `config`.
    static func instance(_ path: String, config: String = "{}") throws -> SkillInstance {
        try load(path).makeInstance(configJSON: config)
    }

    /// An input document carrying `text` (nil for an attachment-only message).
    static func input(_ text: String?, mid: String = "m1") -> SkillInput {
        SkillInput(
            message: .init(
                mid: mid,
                timestamp: 1_730_462_400_000,
                text: text,
                attachments: text == nil ? [.init(type: "image", url: "https://example.com/cat.jpg")] : []
            ),
            conversation: .init(pageID: "109876543210987", psid: "5012345678901234")
        )
    }

    /// The text of a reply, or nil for an attachment or no reply.
    static func text(of reply: ReplyMessage?) -> String? {
        guard let reply, case .text(let text) = reply.body else { return nil }
        return text
    }
}

import Foundation

/// FAQSkill's configuration, decoded and checked.
struct FAQConfig: Sendable {
    /// One quick reply button offered with an answer.
    struct QuickReply: Sendable, Decodable {
        var title: String
        var payload: String

        init(title: String, payload: String) {
            self.title = title
            self.payload = payload
        }

        /// Accepts a plain string (title and payload alike) or `{"title", "payload"}`.
        init(from decoder: any Decoder) throws {
            if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
                self.init(title: text, payload: text)
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let title = try container.decode(String.self, forKey: .title)
            let payload = try container.decodeIfPresent(String.self, forKey: .payload) ?? title
            self.init(title: title, payload: payload)
        }

        private enum CodingKeys: String, CodingKey {
            case title, payload
        }
    }

    /// One question and its answer.
    struct Entry: Sendable, Decodable {
        var question: String
        var answer: String
        var quickReplies: [QuickReply]?

        private enum CodingKeys: String, CodingKey {
            case question, answer
            case quickReplies = "quick_replies"
        }
    }

    /// Why a configuration is refused; `description` is the line handed to `set_error`.
    struct Invalid: Error, Sendable {
        var description: String
    }

    private struct Document: Decodable {
        var entries: [Entry]
        var minScore: Double?

        private enum CodingKeys: String, CodingKey {
            case entries
            case minScore = "min_score"
        }
    }

    /// The entries, in configuration order.
    var entries: [Entry]
    /// The lowest score that still gets an answer, in [0, 1].
    var minScore: Double

    /// Decodes and checks a configuration document.
    init(json: String) throws(Invalid) {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(json.utf8))
        } catch {
            throw Invalid(description: "FAQSkill: config.entries must be a list of {question, answer}")
        }
        for entry in document.entries {
            if entry.question.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                || entry.answer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            {
                throw Invalid(description: "FAQSkill: config.entries must be a list of {question, answer}")
            }
            if entry.answer.unicodeScalars.count > 2000 {
                throw Invalid(description: "FAQSkill: an answer is longer than 2000 characters")
            }
            let buttons = entry.quickReplies ?? []
            if buttons.count > 13 {
                throw Invalid(description: "FAQSkill: an entry has more than 13 quick_replies")
            }
            for button in buttons
            where !(1...20).contains(button.title.unicodeScalars.count)
                || !(1...1000).contains(button.payload.unicodeScalars.count)
            {
                throw Invalid(description: "FAQSkill: a quick reply needs a title of 1 to 20 characters and a payload of 1 to 1000")
            }
        }
        let minScore = document.minScore ?? 0.5
        guard minScore.isFinite, (0...1).contains(minScore) else {
            throw Invalid(description: "FAQSkill: config.min_score must be a number from 0 to 1")
        }
        self.entries = document.entries
        self.minScore = minScore
    }
}

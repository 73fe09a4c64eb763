import Foundation

/// The example skills' logic written as plain Swift, the baseline the ABI calls are
/// compared with: what a call through dlopen, JSON and the host builders adds.
enum DirectLogic {
    /// EchoSkill's reply: `You said: <text>` cut to 2000 Unicode scalars.
    static func echo(_ text: String) -> String? {
        guard !text.isEmpty else { return nil }
        let prefix = "You said: "
        var reply = prefix
        reply.unicodeScalars.append(contentsOf: text.unicodeScalars.prefix(2000 - prefix.unicodeScalars.count))
        return reply
    }

    /// KeywordEscalation's scan: the first keyword found as a whole word, ignoring case and accents.
    static func keyword(in text: String, keywords: [String]) -> String? {
        let words = Set(self.words(of: text))
        return keywords.first { words.contains($0) }
    }

    /// Lowercased, accent-free words of letters and digits.
    static func words(of text: String) -> [String] {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.append(scalar)
            } else if scalar.properties.generalCategory == .nonspacingMark {
                continue
            } else if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }
}

import Foundation

/// Finds configured keywords in user text as whole words, ignoring case and accents.
public struct KeywordMatcher: Sendable {
    private let keywords: [(original: String, words: [String])]

    /// - Parameter keywords: words or short phrases; a phrase matches as consecutive words.
    public init(keywords: [String]) {
        self.keywords = keywords.compactMap { keyword in
            let words = Self.words(of: keyword)
            return words.isEmpty ? nil : (keyword, words)
        }
    }

    /// The first configured keyword found in `text`, or nil.
    public func firstMatch(in text: String) -> String? {
        let words = Self.words(of: text)
        guard !words.isEmpty else { return nil }
        for keyword in keywords where words.count >= keyword.words.count {
            for start in 0...(words.count - keyword.words.count)
            where words[start..<(start + keyword.words.count)].elementsEqual(keyword.words) {
                return keyword.original
            }
        }
        return nil
    }

    /// Lower-cased, accent-folded words of a text (letters and digits; everything else splits).
    public static func words(of text: String) -> [String] {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .lowercased()
        return folded.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }
}

import Foundation

/// Finds configured keywords in user text as whole words, ignoring case and accents.
///
/// **What a word is** (the one definition Baton uses; the KeywordEscalation plugin, which
/// cannot link BatonCore, keeps a copy that `KeywordMatcherAgreementTests` holds to it): fold
/// case, diacritics and width, lower-case, then a word is a maximal run of Unicode scalars
/// that are alphabetic or numeric; a combining mark left over is dropped without splitting;
/// every other scalar (space, punctuation, symbol, emoji) ends the word.
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

    /// The words of a text, as defined above.
    /// - Parameter text: Any text.
    /// - Returns: Its folded, lower-cased words in order.
    public static func words(of text: String) -> [String] {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .lowercased()
        var words: [String] = []
        var word = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars {
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil {
                word.append(scalar)
            } else if properties.generalCategory != .nonspacingMark, !word.isEmpty {
                words.append(String(word))
                word.removeAll()
            }
        }
        if !word.isEmpty { words.append(String(word)) }
        return words
    }
}

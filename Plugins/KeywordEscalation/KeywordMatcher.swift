import Foundation

/// Finds configured keywords in text as whole words, ignoring case and accents.
///
/// A keyword may be several words ("real person"): it then matches those words in a row.
///
/// What a word is follows BatonCore's `KeywordMatcher` exactly (a plugin cannot link BatonCore):
/// fold case, diacritics and width, lower-case, then a word is a maximal run of alphabetic or
/// numeric scalars; a leftover combining mark is dropped without splitting; anything else
/// splits. `KeywordMatcherAgreementTests` checks both on one table of inputs.
struct KeywordMatcher: Sendable {
    /// One keyword as configured and as the words it matches.
    struct Keyword: Sendable {
        /// The keyword as the operator wrote it, used in the reason.
        var original: String
        /// Its normalised words.
        var words: [String]
    }

    /// The defaults when the configuration names none.
    static let defaultKeywords = ["human", "agent", "person", "representative", "operator"]

    /// The keywords, in configuration order; the first that matches wins.
    let keywords: [Keyword]

    /// Makes a matcher; keywords with no letters or digits are dropped.
    init(keywords: [String]) {
        self.keywords = keywords.compactMap { keyword in
            let words = Self.words(of: keyword)
            return words.isEmpty ? nil : Keyword(original: keyword, words: words)
        }
    }

    /// Returns the first keyword found in `text`, or `nil`.
    func firstMatch(in text: String) -> Keyword? {
        let words = Self.words(of: text)
        guard !words.isEmpty else { return nil }
        for keyword in keywords where Self.contains(words, run: keyword.words) {
            return keyword
        }
        return nil
    }

    /// Splits text into lowercased, accent-free words of letters and digits.
    static func words(of text: String) -> [String] {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .lowercased()
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.append(scalar)
            } else if scalar.properties.generalCategory == .nonspacingMark {
                continue  // a combining accent left over: part of the word, dropped
            } else if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }

    /// Whether `run` occurs in `words` as consecutive elements.
    private static func contains(_ words: [String], run: [String]) -> Bool {
        guard run.count <= words.count else { return false }
        for start in 0...(words.count - run.count) where words[start] == run[0] {
            if run.count == 1 || Array(words[start..<(start + run.count)]) == run { return true }
        }
        return false
    }
}

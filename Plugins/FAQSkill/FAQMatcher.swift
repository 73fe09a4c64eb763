import Foundation

/// Scores how close a user's message is to each configured question.
///
/// Both sides are normalised (lowercase, accents folded, punctuation stripped) and split
/// into words; common filler words are ignored. Two words match fully when equal, and
/// partly when one is a prefix of the other ("open"/"opening") or when they are a small
/// edit distance apart ("pasword"/"password"). The score mixes how much of the question
/// the message covers (recall, weight 0.75) with how much of the message is about the
/// question (precision, weight 0.25), so it is in [0, 1] and 1 for the question itself.
struct FAQMatcher: Sendable {
    /// Words that carry no meaning of their own in a question.
    static let stopWords: Set<String> = [
        "a", "am", "an", "and", "any", "are", "at", "be", "can", "could", "do", "does", "for",
        "from", "hello", "hey", "hi", "how", "i", "im", "in", "is", "it", "me", "my", "of", "on",
        "or", "our", "please", "should", "so", "tell", "thanks", "that", "the", "there", "this",
        "to", "us", "want", "was", "we", "what", "whats", "when", "where", "which", "who", "why",
        "will", "with", "would", "you", "your",
    ]

    /// The questions' words, in entry order.
    let questions: [[String]]

    /// Prepares the given questions.
    init(questions: [String]) {
        self.questions = questions.map(Self.keyWords(of:))
    }

    /// The best entry for `message` and its score, or `nil` when no entry scores above 0.
    /// Ties go to the earlier entry.
    func bestMatch(for message: String) -> (index: Int, score: Double)? {
        let words = Self.keyWords(of: message)
        guard !words.isEmpty else { return nil }
        var best: (index: Int, score: Double)?
        for (index, question) in questions.enumerated() {
            let score = Self.score(question: question, message: words)
            if score > (best?.score ?? 0) { best = (index, score) }
        }
        return best
    }

    /// The words of `text` without stop words; all of them when only stop words remain.
    static func keyWords(of text: String) -> [String] {
        let all = words(of: text)
        let kept = all.filter { !stopWords.contains($0) }
        return kept.isEmpty ? all : kept
    }

    /// Splits text into lowercased, accent-free words of letters and digits; apostrophes
    /// join ("what's" gives "whats").
    static func words(of text: String) -> [String] {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.append(scalar)
            } else if scalar == "'" || scalar == "\u{2019}" || scalar.properties.generalCategory == .nonspacingMark {
                continue
            } else if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }

    /// 0.75 × recall of the question's words + 0.25 × precision of the message's words.
    static func score(question: [String], message: [String]) -> Double {
        guard !question.isEmpty, !message.isEmpty else { return 0 }
        let recall = question.reduce(0.0) { sum, word in sum + bestSimilarity(word, among: message) }
        let precision = message.reduce(0.0) { sum, word in sum + bestSimilarity(word, among: question) }
        return 0.75 * recall / Double(question.count) + 0.25 * precision / Double(message.count)
    }

    /// The highest `similarity` of `word` with any of `others`.
    static func bestSimilarity(_ word: String, among others: [String]) -> Double {
        var best = 0.0
        for other in others {
            best = max(best, similarity(word, other))
            if best == 1 { break }
        }
        return best
    }

    /// 1 for equal words; 0.8 when the shorter (4+ letters) starts the longer; otherwise
    /// 1 − distance/length when the edit distance is small for the length (1 from 4
    /// letters, 2 from 8); else 0.
    static func similarity(_ a: String, _ b: String) -> Double {
        if a == b { return 1 }
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
        let shorter = min(x.count, y.count)
        let longer = max(x.count, y.count)
        if shorter >= 4 && (x.starts(with: y) || y.starts(with: x)) { return 0.8 }
        guard shorter >= 4 else { return 0 }
        let allowed = shorter >= 8 ? 2 : 1
        guard longer - shorter <= allowed else { return 0 }
        let distance = editDistance(x, y, limit: allowed)
        guard distance <= allowed else { return 0 }
        return 1 - Double(distance) / Double(longer)
    }

    /// The Damerau–Levenshtein (optimal string alignment) distance, or `limit + 1` once it
    /// is certainly above `limit`.
    static func editDistance(_ x: [Unicode.Scalar], _ y: [Unicode.Scalar], limit: Int) -> Int {
        guard !x.isEmpty, !y.isEmpty else { return max(x.count, y.count) }
        var before = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    value = min(value, before[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (before, previous, current) = (previous, current, before)
        }
        return previous[y.count]
    }
}

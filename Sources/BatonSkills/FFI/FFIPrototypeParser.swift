/// The grammar of ``FFIPrototype``: `TYPE NAME(PARAMETERS)`, types of identifiers and `*`.
enum FFIPrototypeParser {
    /// Words that are part of a type and never a parameter's or function's name.
    private static let typeWords: Set<String> = [
        "void", "char", "short", "int", "long", "float", "double", "signed", "unsigned", "_Bool", "bool",
        "const", "volatile", "restrict", "size_t", "int32_t", "struct", "union", "enum",
    ]
    /// Qualifiers that do not change how a value is passed.
    private static let qualifiers: Set<String> = ["const", "volatile", "restrict"]

    static func parse(_ original: String) throws(FFISkillError) -> FFIPrototype {
        func unparsable(_ why: String) -> FFISkillError {
            FFISkillError(.unparsable, "cannot parse '\(original)': \(why)")
        }
        let expected = "expected 'TYPE NAME(PARAMETERS)', e.g. 'double score(const char *text, size_t length)'"
        var text = Substring(original).trimmingWhitespace()
        if text.hasSuffix(";") { text = text.dropLast().trimmingWhitespace() }
        if text.contains("...") { throw unparsable("variadic functions are not supported") }
        if let bad = text.first(where: { !isAllowed($0) }) { throw unparsable("unexpected character '\(bad)'") }
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close,
            text[text.index(after: close)...].trimmingWhitespace().isEmpty
        else { throw unparsable(expected) }
        let inner = text[text.index(after: open)..<close]
        if inner.contains("(") || inner.contains(")") { throw unparsable("function pointer parameters are not supported") }

        var head = tokens(text[..<open])
        guard head.count >= 2, let name = head.last, isIdentifier(name), !typeWords.contains(name) else {
            throw unparsable(expected)
        }
        head.removeLast()
        guard let returnType = cType(head) else {
            throw FFISkillError(.unknownType, "unknown return type '\(spelling(head))'")
        }

        var parameters: [FFIPrototype.Parameter] = []
        let list = inner.trimmingWhitespace()
        if !list.isEmpty && list != "void" {
            for (offset, part) in list.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
                let number = offset + 1
                var words = tokens(part)
                guard !words.isEmpty else { throw unparsable("parameter \(number) is empty") }
                var parameterName: String?
                // The last word names the parameter when it is no type word and a type is left.
                if let last = words.last, isIdentifier(last), !typeWords.contains(last),
                    words.dropLast().contains(where: { !qualifiers.contains($0) })
                {
                    parameterName = last
                    words.removeLast()
                }
                guard let type = cType(words) else {
                    throw FFISkillError(.unknownType, "unknown type '\(spelling(words))' in parameter \(number)")
                }
                parameters.append(.init(type, parameterName))
            }
        }
        return FFIPrototype(returnType: returnType, name: name, parameters: parameters)
    }

    /// Letters, digits, `_`, `*`, `,`, parentheses and white space.
    private static func isAllowed(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "_*,() \t\n\r".contains(character))
    }

    private static func isIdentifier(_ word: String) -> Bool {
        guard let first = word.first, first == "_" || first.isLetter else { return false }
        return word.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
    }

    /// Words and `*`s: `const char*text` → `const`, `char`, `*`, `text`.
    private static func tokens(_ text: Substring) -> [String] {
        var result: [String] = []
        var word = ""
        for character in text {
            if character == "_" || character.isLetter || character.isNumber {
                word.append(character)
                continue
            }
            if !word.isEmpty { result.append(word) }
            word = ""
            if character == "*" { result.append("*") }
        }
        if !word.isEmpty { result.append(word) }
        return result
    }

    /// How the type reads in a message: `long double`, `struct foo *`, `char **`.
    private static func spelling(_ words: [String]) -> String {
        var text = ""
        for word in words {
            if word == "*" {
                text += text.hasSuffix("*") || text.isEmpty ? "*" : " *"
            } else {
                text += text.isEmpty ? word : " " + word
            }
        }
        return text
    }

    /// The type `words` spell, or nil when Baton does not know it.
    private static func cType(_ words: [String]) -> FFIPrototype.CType? {
        guard let firstStar = words.firstIndex(of: "*") else {
            switch words.filter({ !qualifiers.contains($0) }) {
            case ["double"]: return .double
            case ["float"]: return .float
            case ["int"], ["signed"], ["signed", "int"], ["int", "signed"], ["int32_t"]: return .int
            case ["bool"], ["_Bool"]: return .bool
            case ["size_t"]: return .size
            case ["void"]: return .void
            default: return nil
            }
        }
        let base = words[..<firstStar]
        let afterStar = words[words.index(after: firstStar)...]
        // One level of pointer to char; qualifiers after the star qualify the pointer itself.
        guard base.filter({ !qualifiers.contains($0) }) == ["char"], afterStar.allSatisfy(qualifiers.contains) else { return nil }
        return base.contains("const") ? .text : .buffer
    }
}

extension Substring {
    /// Without leading and trailing spaces, tabs and newlines.
    fileprivate func trimmingWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        return self[start...end]
    }
}

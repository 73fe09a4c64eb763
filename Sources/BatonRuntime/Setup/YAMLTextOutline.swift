import Foundation

/// A configuration file's text as lines, with just enough of YAML's block structure read to
/// find a key, a mapping or a list and to edit it in place: comments, blank lines, quoting and
/// layout everywhere else stay byte for byte (Yams cannot write comments back).
///
/// Only block style is navigated (`key:` lines and `- ` items by indentation); a flow
/// collection (`{...}`, `[...]`) is one value on its key's line.
struct YAMLTextOutline {
    /// A `key:` at a known column of a line.
    struct KeyLine: Equatable {
        /// The line's index.
        var line: Int
        /// The key's column (for an item's first key, the column after `- `).
        var column: Int
        /// The key as written (plain, or unquoted from `"..."`/`'...'`).
        var key: String
        /// The index in the line just after the `:`.
        var valueStart: Int
    }

    /// A block mapping: its keys sit at `column` on lines `firstLine...lastLine` (the first line
    /// may be a `- ` item's line).
    struct Mapping: Equatable {
        var firstLine: Int
        var column: Int
        var lastLine: Int
    }

    /// One `- ` item of a block list.
    struct Item: Equatable {
        /// The line of its `-`.
        var dashLine: Int
        /// The column of its `-`.
        var dashColumn: Int
        /// Where its content starts (the keys of a mapping item).
        var contentColumn: Int
        /// Its last line with content.
        var lastLine: Int
    }

    /// The lines, without their line breaks.
    var lines: [String]
    /// `\n`, or `\r\n` when the file uses it.
    let newline: String
    /// Whether the text ended with a line break.
    let endsWithNewline: Bool

    /// - Parameter text: the file's text.
    init(text: String) {
        newline = text.contains("\r\n") ? "\r\n" : "\n"
        var parts = text.components(separatedBy: newline)
        endsWithNewline = text.hasSuffix(newline)
        if endsWithNewline { parts.removeLast() }
        lines = parts
    }

    /// The text again, with every edit.
    var text: String {
        lines.joined(separator: newline) + (endsWithNewline || lines.isEmpty ? newline : "")
    }

    // MARK: Reading

    /// Leading spaces of a line.
    func indent(_ line: Int) -> Int {
        lines[line].prefix { $0 == " " }.count
    }

    /// Whether a line holds YAML content (not blank, not only a comment).
    func isContent(_ line: Int) -> Bool {
        let trimmed = lines[line].drop { $0 == " " || $0 == "\t" }
        return !trimmed.isEmpty && !trimmed.hasPrefix("#")
    }

    /// Whether a line's content starts with a `- ` list item.
    func isDash(_ line: Int) -> Bool {
        let trimmed = lines[line].drop { $0 == " " }
        return trimmed == "-" || trimmed.hasPrefix("- ")
    }

    /// The `key:` starting exactly at `column` of `line`, if there is one.
    func key(at line: Int, column: Int) -> KeyLine? {
        let characters = Array(lines[line])
        guard column < characters.count else { return nil }
        var index = column
        var key = ""
        if characters[index] == "\"" || characters[index] == "'" {
            let quote = characters[index]
            index += 1
            while index < characters.count, characters[index] != quote {
                key.append(characters[index])
                index += 1
            }
            guard index < characters.count else { return nil }
            index += 1
        } else {
            while index < characters.count, characters[index] != ":", characters[index] != " ", characters[index] != "#" {
                key.append(characters[index])
                index += 1
            }
            if key.isEmpty || key.hasPrefix("-") || key.hasPrefix("{") || key.hasPrefix("[") { return nil }
        }
        guard index < characters.count, characters[index] == ":" else { return nil }
        let after = index + 1
        guard after == characters.count || characters[after] == " " else { return nil }
        return KeyLine(line: line, column: column, key: key, valueStart: after)
    }

    /// The value written on a key's own line, without its comment and surrounding spaces
    /// (empty when the value is a block below the key).
    func inlineValue(_ key: KeyLine) -> String {
        let characters = Array(lines[key.line])
        let end = Self.commentStart(characters, from: key.valueStart)
        return String(characters[key.valueStart..<end]).trimmingSpaces
    }

    /// A top-level `name:` (column 0).
    func topLevelKey(_ name: String) -> KeyLine? {
        for line in lines.indices where isContent(line) && indent(line) == 0 {
            if let key = key(at: line, column: 0), key.key == name { return key }
        }
        return nil
    }

    /// The last line of a key's value: its own line, or the last content line below it that is
    /// indented deeper than the key (or is a `- ` item at the key's own column, YAML's compact
    /// list form).
    func valueEnd(_ key: KeyLine) -> Int {
        let inlineEmpty = inlineValue(key).isEmpty
        var last = key.line
        var line = key.line + 1
        while line < lines.count {
            if isContent(line) {
                let depth = indent(line)
                guard depth > key.column || (inlineEmpty && depth == key.column && isDash(line)) else { break }
                last = line
            }
            line += 1
        }
        return last
    }

    /// The block mapping that is a key's value, if its value is a block mapping.
    func mapping(valueOf key: KeyLine) -> Mapping? {
        let end = valueEnd(key)
        guard end > key.line, let first = ((key.line + 1)...end).first(where: isContent), !isDash(first) else { return nil }
        return Mapping(firstLine: first, column: indent(first), lastLine: end)
    }

    /// The keys of a mapping, in file order.
    func keys(of mapping: Mapping) -> [KeyLine] {
        var result: [KeyLine] = []
        for line in mapping.firstLine...mapping.lastLine where isContent(line) {
            let column = line == mapping.firstLine ? mapping.column : indent(line)
            if column == mapping.column, let key = key(at: line, column: column) { result.append(key) }
        }
        return result
    }

    /// The key `name` of a mapping.
    func key(_ name: String, in mapping: Mapping) -> KeyLine? {
        keys(of: mapping).first { $0.key == name }
    }

    /// The `- ` items of a key's block-list value, in order (empty when the value is not one).
    func items(valueOf key: KeyLine) -> [Item] {
        let end = valueEnd(key)
        guard end > key.line, let first = ((key.line + 1)...end).first(where: isContent), isDash(first) else { return [] }
        let dashColumn = indent(first)
        var starts: [Int] = []
        for line in first...end where isContent(line) && indent(line) == dashColumn {
            guard isDash(line) else { break }
            starts.append(line)
        }
        return starts.enumerated().map { index, dash in
            let nextStart = index + 1 < starts.count ? starts[index + 1] : end + 1
            let last = (dash..<nextStart).last(where: isContent) ?? dash
            let afterDash = Array(lines[dash]).dropFirst(dashColumn + 1)
            let spaces = afterDash.prefix { $0 == " " }.count
            var content = dashColumn + 1 + spaces
            if spaces == afterDash.count, last > dash, let next = ((dash + 1)...last).first(where: isContent) {
                content = indent(next)  // `-` alone, the mapping on the lines below
            }
            return Item(dashLine: dash, dashColumn: dashColumn, contentColumn: content, lastLine: last)
        }
    }

    /// The mapping an item holds (its first key on the dash line, or below a lone `-`).
    func mapping(of item: Item) -> Mapping {
        Mapping(firstLine: item.dashLine, column: item.contentColumn, lastLine: item.lastLine)
    }

    /// Whether an item is written in flow style (`- {id: ...}`).
    func isFlowItem(_ item: Item) -> Bool {
        let characters = Array(lines[item.dashLine])
        return item.contentColumn < characters.count && characters[item.contentColumn] == "{"
    }

    /// The indentation step the file uses (the column of the first nested mapping key), 2 if none.
    var indentUnit: Int {
        for line in lines.indices where isContent(line) && indent(line) > 0 && !isDash(line) {
            return indent(line)
        }
        return 2
    }

    // MARK: Editing

    /// Inserts lines after `line` (-1: at the top).
    mutating func insert(_ newLines: [String], after line: Int) {
        lines.insert(contentsOf: newLines, at: line + 1)
    }

    /// Appends lines at the end of the file.
    mutating func append(_ newLines: [String]) {
        lines.append(contentsOf: newLines)
    }

    /// Replaces the value on a key's line, keeping the spacing and the comment after it.
    mutating func replaceValue(_ key: KeyLine, with value: String) {
        let characters = Array(lines[key.line])
        let commentAt = Self.commentStart(characters, from: key.valueStart)
        let segment = characters[key.valueStart..<commentAt]
        let leading = segment.prefix { $0 == " " }.count
        let trailing = segment.count == leading ? 0 : segment.reversed().prefix { $0 == " " }.count
        let comment = String(characters[commentAt...])
        let before = String(characters[..<key.valueStart])
        var after = String(repeating: " ", count: trailing)
        if !comment.isEmpty, after.isEmpty { after = " " }
        if value.isEmpty {
            lines[key.line] = before + (comment.isEmpty ? "" : " " + comment)
        } else {
            lines[key.line] = before + String(repeating: " ", count: max(leading, 1)) + value + after + comment
        }
    }

    /// Replaces a line's text.
    mutating func replaceLine(_ line: Int, with text: String) {
        lines[line] = text
    }

    // MARK: Helpers

    /// Where a `#` comment starts on a line (a `#` after a space, outside quotes), or its end.
    static func commentStart(_ characters: [Character], from start: Int) -> Int {
        var quote: Character?
        var index = start
        while index < characters.count {
            let character = characters[index]
            if let open = quote {
                if character == "\\", open == "\"" {
                    index += 1
                } else if character == open {
                    quote = nil
                }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#", index == 0 || characters[index - 1] == " " || characters[index - 1] == "\t" {
                return index
            }
            index += 1
        }
        return characters.count
    }

    /// A string as a YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\x" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 2)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return String(text)
    }

    /// The string with `0`s in front up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}

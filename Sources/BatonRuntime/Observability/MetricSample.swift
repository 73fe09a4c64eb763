/// One sample line of Prometheus' text format, `name{label="value",…} number`, read back.
///
/// For tests and tools that check what `/metrics` shows by value rather than by text
/// (a counter shows `1`, a gauge `1.0`).
public struct MetricSample: Hashable, Sendable {
    /// The metric name.
    public var name: String
    /// The labels, by name.
    public var labels: [String: String]
    /// The sample's value.
    public var value: Double

    /// A sample.
    ///
    /// - Parameters:
    ///   - name: the metric name.
    ///   - labels: the labels, by name.
    ///   - value: the value.
    public init(name: String, labels: [String: String] = [:], value: Double) {
        (self.name, self.labels, self.value) = (name, labels, value)
    }

    /// Every sample line of `text`; comments, blank lines and lines that do not parse are skipped.
    ///
    /// - Parameter text: a `/metrics` body.
    public static func parse(_ text: String) -> [MetricSample] {
        text.split(separator: "\n").compactMap { parse(line: $0) }
    }

    /// One line read as a sample, or nil for a comment or a line that does not parse.
    ///
    /// - Parameter line: a line of a `/metrics` body, without its newline.
    public static func parse(line: Substring) -> MetricSample? {
        guard !line.hasPrefix("#") else { return nil }
        var rest = line[...]
        let name = rest.prefix { $0 != "{" && $0 != " " }
        guard !name.isEmpty else { return nil }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            guard let parsed = parseLabels(&rest) else { return nil }
            labels = parsed
        }
        let number = rest.drop { $0 == " " }.prefix { $0 != " " }
        guard let value = Double(number) else { return nil }
        return MetricSample(name: String(name), labels: labels, value: value)
    }

    /// Reads `{a="x",b="y"}` from the front of `rest`, unescaping `\\`, `\"` and `\n`.
    private static func parseLabels(_ rest: inout Substring) -> [String: String]? {
        rest = rest.dropFirst()
        var labels: [String: String] = [:]
        while let first = rest.first, first != "}" {
            let key = rest.prefix { $0 != "=" }
            rest = rest.dropFirst(key.count)
            guard rest.hasPrefix("=\"") else { return nil }
            rest = rest.dropFirst(2)
            var value = ""
            var escaped = false
            while let character = rest.popFirst() {
                if escaped {
                    value.append(character == "n" ? "\n" : character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    break
                } else {
                    value.append(character)
                }
            }
            labels[String(key.drop { $0 == "," || $0 == " " })] = value
            if rest.first == "," { rest = rest.dropFirst() }
        }
        guard rest.first == "}" else { return nil }
        rest = rest.dropFirst()
        return labels
    }
}

import Foundation

/// Renders ``TranscriptResult``s for people (a diff-style report) and for CI (JUnit XML).
public enum TranscriptReport {
    /// The text report: for each failed turn its index and input, `- expected:` and `+ actual:` lines
    /// and the conversation so far; then one summary line `N passed, M failed` (counted in turns).
    public static func text(_ results: [TranscriptResult]) -> String {
        var lines: [String] = []
        for result in results {
            let status = result.passed ? "PASS" : "FAIL"
            lines.append("\(status)  \(result.file): \(result.name) (\(result.passedCount)/\(result.turns.count) turns)")
            if let error = result.setupError {
                lines.append("  - expected: the transcript runs")
                lines.append("  + actual: \(error)")
            }
            for turn in result.turns where !turn.passed {
                lines.append("  turn \(turn.index): \(turn.input)")
                for mismatch in turn.mismatches {
                    lines.append("  - expected: \(mismatch.expected)")
                    lines.append("  + actual: \(mismatch.actual)")
                }
                lines.append("  transcript so far:")
                lines.append(contentsOf: turn.transcriptSoFar.map { "  " + $0 })
            }
        }
        lines.append(summary(results))
        return lines.joined(separator: "\n")
    }

    /// `N passed, M failed`, counted in turns (a transcript that could not start counts as one failure).
    public static func summary(_ results: [TranscriptResult]) -> String {
        let passed = results.reduce(0) { $0 + $1.passedCount }
        let failed = results.reduce(0) { $0 + $1.failedCount }
        return "\(passed) passed, \(failed) failed"
    }

    /// JUnit XML: one `testsuite` per transcript, one `testcase` per turn.
    public static func junit(_ results: [TranscriptResult]) -> String {
        let tests = results.reduce(0) { $0 + $1.turns.count + ($1.setupError == nil ? 0 : 1) }
        let failures = results.reduce(0) { $0 + $1.failedCount }
        let total = results.reduce(0) { $0 + $1.seconds }
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += #"<testsuites name="baton skill test" tests="\#(tests)" failures="\#(failures)" time="\#(format(total))">"# + "\n"
        for result in results {
            let count = result.turns.count + (result.setupError == nil ? 0 : 1)
            xml += #"  <testsuite name="\#(escape(result.name))" file="\#(escape(result.file))" tests="\#(count)" failures="\#(result.failedCount)" errors="0" skipped="0" time="\#(format(result.seconds))">"# + "\n"
            if let error = result.setupError {
                xml += #"    <testcase classname="\#(escape(result.name))" name="setup" time="0">"# + "\n"
                xml += #"      <failure message="\#(escape(error))"></failure>"# + "\n"
                xml += "    </testcase>\n"
            }
            for turn in result.turns {
                let name = "turn \(turn.index): \(turn.input)"
                xml += #"    <testcase classname="\#(escape(result.name))" name="\#(escape(name))" time="\#(format(turn.seconds))""#
                if turn.passed {
                    xml += "/>\n"
                    continue
                }
                xml += ">\n"
                let message = turn.mismatches.map { "\($0.key): expected \($0.expected), got \($0.actual)" }.joined(separator: "; ")
                let body = turn.mismatches.flatMap { ["- expected: \($0.expected)", "+ actual: \($0.actual)"] } + turn.transcriptSoFar
                xml += #"      <failure message="\#(escape(message))" type="mismatch">\#(escape(body.joined(separator: "\n")))</failure>"# + "\n"
                xml += "    </testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    static func format(_ seconds: Double) -> String { String(format: "%.3f", seconds) }

    /// Escapes text for XML attributes and content; drops characters XML 1.0 cannot carry.
    static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\n": result += "&#10;"
            case "\t", "\r": result += "&#\(scalar.value);"
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

import BatonSkills
import Foundation
import Logging
import NIOPosix

/// Plain C functions bound through libffi, doing the work of the ABI skills they sit beside:
/// `echo_reply` writes EchoSkill's `You said: <text>`, `keyword_score` scans for
/// KeywordEscalation's keywords (plain ASCII, so less work than the Swift skill's scan).
/// Compiled with `cc` (`$CC`) into a temporary folder on first use.
public enum PlainFunctions {
    /// The C source of both functions.
    public static let source = #"""
        #include <stddef.h>
        #include <string.h>

        int echo_reply(const char *text, size_t length, char *out, size_t out_capacity) {
            static const char prefix[] = "You said: ";
            size_t n = sizeof(prefix) - 1;
            if (length == 0) return 0;
            if (n + length > out_capacity) length = out_capacity - n;
            memcpy(out, prefix, n);
            memcpy(out + n, text, length);
            return (int)(n + length);
        }

        double keyword_score(const char *text, size_t length) {
            static const char *const words[] = {"human", "agent", "person", "representative", "operator"};
            size_t i;
            (void)length;
            for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
                if (strstr(text, words[i]) != NULL) return 1.0;
            }
            return 0.0;
        }
        """#

    /// The compiled library's path.
    public static let library: String = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let sourcePath = folder.appendingPathComponent("plain.c").path
        let libraryPath = folder.appendingPathComponent("libplain.so").path
        do { try source.write(toFile: sourcePath, atomically: true, encoding: .utf8) } catch {
            fatalError("cannot write \(sourcePath): \(error)")
        }
        let compiler = Process()
        compiler.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        compiler.arguments = [ProcessInfo.processInfo.environment["CC"] ?? "cc", "-O2", "-shared", "-fPIC", sourcePath, "-o", libraryPath]
        do { try compiler.run() } catch { fatalError("cannot run cc: \(error)") }
        compiler.waitUntilExit()
        guard compiler.terminationStatus == 0 else { fatalError("cc failed compiling \(sourcePath)") }
        return libraryPath
    }()

    /// `echo_reply`'s prototype, as an `ffi:` entry writes it.
    public static let echoPrototype = "int echo_reply(const char *text, size_t length, char *out, size_t out_capacity)"
    /// `keyword_score`'s prototype, as an `ffi:` entry writes it.
    public static let keywordsPrototype = "double keyword_score(const char *text, size_t length)"

    /// `echo_reply`, bound in this process.
    public static let echo = bind(echoPrototype, .responder)
    /// `keyword_score`, bound in this process.
    public static let keywords = bind(keywordsPrototype, .detector)

    private static func bind(_ prototype: String, _ kind: SkillKind) -> FFISkill {
        do {
            return try FFISkill.bind(
                library: library, function: prototype, kind: kind, threadPool: .singleton, logger: Logger(label: "benchmark"))
        } catch {
            fatalError("cannot bind \(prototype): \(error)")
        }
    }
}

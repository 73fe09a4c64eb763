import BatonTestSupport
import CBatonSkill
import Foundation
import Testing

/// `include/baton/skill.h` compiles clean as C99 and C++17 with every warning an
/// error, agrees with Swift on the layout of its tables, and a skill built with
/// `-fvisibility=hidden` exports only its entry.
@Suite("Skill ABI header")
struct HeaderCompileTests {
    /// A translation unit that touches every item of the header.
    static let source = """
        #include <baton/skill.h>

        static int32_t check_respond(void *instance, baton_call *call, baton_str input_json) {
            const baton_host *host = (const baton_host *)instance;
            baton_str out;
            (void)input_json;
            if (host->input_field(call, baton_str_from_cstr("message.text"), &out) != BATON_OK) {
                return host->no_answer(call);
            }
            host->log(host, BATON_LOG_DEBUG, out);
            host->reply_quick_reply(call, out, out);
            host->reply_attachment_json(call, out);
            host->set_score(call, 0.5, out);
            host->set_error(call, out);
            return host->reply_text(call, out);
        }

        static void *check_create(const baton_host *host, baton_str config_json, baton_call *call) {
            (void)config_json;
            (void)call;
            return (void *)host;
        }

        static void check_destroy(void *instance) { (void)instance; }

        static void check_shutdown(void) {}

        static const baton_skill check_skill = {
            sizeof(baton_skill), BATON_SKILL_ABI_MAJOR, BATON_SKILL_ABI_MINOR,
            BATON_SKILL_KIND_RESPONDER | BATON_SKILL_KIND_DETECTOR, BATON_SKILL_CAP_THREAD_SAFE,
            "check", "1.0", "compiles", check_create, check_destroy, check_respond, check_respond,
            check_shutdown,
        };

        BATON_SKILL_EXPORT const baton_skill *baton_skill_entry_v1(const baton_host *host) {
            baton_skill_entry_fn self_check = baton_skill_entry_v1;
            (void)self_check;
            return host->abi_major == BATON_SKILL_ABI_MAJOR ? &check_skill : NULL;
        }
        """

    /// Compiles `source` with `compiler` and `flags`, syntax only.
    private static func compile(_ compiler: String, language: String, flags: [String]) throws {
        let bench = try SkillWorkbench()
        let file = try bench.write("check.\(language == "c" ? "c" : "cpp")", source)
        try runTool(compiler, flags + ["-Wall", "-Wextra", "-pedantic", "-Werror", "-I", TestPaths.include, "-fsyntax-only", file])
    }

    @Test("C99 with -Wall -Wextra -pedantic -Werror", arguments: ["cc", "clang"])
    func c99(compiler: String) throws {
        guard (try? runTool("which", [compiler])) != nil else { return }
        try Self.compile(compiler, language: "c", flags: ["-std=c99"])
    }

    @Test("C++17 with -Wall -Wextra -pedantic -Werror", arguments: ["c++", "clang++"])
    func cxx17(compiler: String) throws {
        guard (try? runTool("which", [compiler])) != nil else { return }
        try Self.compile(compiler, language: "c++", flags: ["-std=c++17"])
    }

    @Test("C and Swift agree on the size and layout of the tables")
    func layout() throws {
        let bench = try SkillWorkbench()
        let program = try bench.write(
            "layout.c",
            """
            #include <baton/skill.h>
            #include <stdio.h>
            int main(void) {
                printf("%zu %zu %zu %zu %zu\\n", sizeof(baton_host), sizeof(baton_skill), sizeof(baton_str),
                       offsetof(baton_host, input_field), offsetof(baton_skill, shutdown));
                return 0;
            }
            """)
        let binary = bench.folder.file("layout")
        try runTool("cc", ["-std=c99", "-I", TestPaths.include, program, "-o", binary])
        let output = try runTool(binary, []).trimmingCharacters(in: .whitespacesAndNewlines)
        let swift = [
            MemoryLayout<baton_host>.size, MemoryLayout<baton_skill>.size, MemoryLayout<baton_str>.size,
            MemoryLayout<baton_host>.offset(of: \baton_host.input_field)!,
            MemoryLayout<baton_skill>.offset(of: \baton_skill.shutdown)!,
        ].map(String.init).joined(separator: " ")
        #expect(output == swift)
    }

    @Test("a skill built with -fvisibility=hidden exports only baton_skill_entry_v1")
    func onlyEntryExported() throws {
        let bench = try SkillWorkbench()
        let library = try bench.compile("good.c")
        let symbols = try runTool("nm", ["-D", "--defined-only", library])
            .split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }
        #expect(symbols == ["baton_skill_entry_v1"])
    }
}

extension SkillTemplates {
    /// `NAME.c`: the C responder.
    static func cSource(name: String) -> String {
        #"""
        /*
         * \#(name): a Baton responder that answers "Hello from \#(name): <text>".
         * Build: make  (cc -shared -fPIC -fvisibility=hidden -I include \#(name).c -o lib\#(name).so)
         */
        #include <baton/skill.h>

        #include <stdlib.h>
        #include <string.h>

        static const char reply_prefix[] = "Hello from \#(name): ";
        #define PREFIX_LEN (sizeof(reply_prefix) - 1)

        /* One instance holds only the host table: never written after create, so thread-safe. */
        typedef struct instance {
            const baton_host *host;
        } instance;

        /* How many bytes of text hold at most max_scalars Unicode scalars. */
        static size_t scalar_prefix(const char *text, size_t len, size_t max_scalars) {
            size_t scalars = 0, i;
            for (i = 0; i < len; i++) {
                if (((unsigned char)text[i] & 0xC0u) != 0x80u) {
                    if (scalars == max_scalars) return i;
                    scalars++;
                }
            }
            return len;
        }

        static void *skill_create(const baton_host *host, baton_str config_json, baton_call *call) {
            instance *self;
            (void)config_json;
            self = (instance *)malloc(sizeof *self);
            if (self == NULL) {
                host->set_error(call, baton_str_from_cstr("out of memory"));
                return NULL;
            }
            self->host = host;
            return self;
        }

        static void skill_destroy(void *self) { free(self); }

        static int32_t skill_respond(void *opaque, baton_call *call, baton_str input_json) {
            const instance *self = (const instance *)opaque;
            baton_str text;
            char *buffer;
            size_t keep;
            int32_t status;
            (void)input_json;
            if (self->host->input_field(call, baton_str_from_cstr("message.text"), &text) != BATON_OK || text.len == 0) {
                return self->host->no_answer(call);
            }
            keep = scalar_prefix(text.ptr, text.len, BATON_LIMIT_TEXT_CHARS - PREFIX_LEN);
            buffer = (char *)malloc(PREFIX_LEN + keep);
            if (buffer == NULL) return BATON_E_NO_MEMORY;
            memcpy(buffer, reply_prefix, PREFIX_LEN);
            memcpy(buffer + PREFIX_LEN, text.ptr, keep);
            {
                baton_str reply = {buffer, PREFIX_LEN + keep};
                status = self->host->reply_text(call, reply); /* the host copies */
            }
            free(buffer);
            return status;
        }

        static const baton_skill descriptor = {
            sizeof(baton_skill), BATON_SKILL_ABI_MAJOR, BATON_SKILL_ABI_MINOR,
            BATON_SKILL_KIND_RESPONDER, BATON_SKILL_CAP_THREAD_SAFE,
            "\#(name)", "0.1.0", "Answers Hello from \#(name).",
            skill_create, skill_destroy, skill_respond, NULL, NULL,
        };

        BATON_SKILL_EXPORT const baton_skill *baton_skill_entry_v1(const baton_host *host) {
            if (host == NULL || host->abi_major != BATON_SKILL_ABI_MAJOR) return NULL;
            return &descriptor;
        }

        """#
    }

    /// `Makefile`: builds `libNAME.so` against the copied header.
    static func cMakefile(name: String) -> String {
        """
        BATON_INCLUDE ?= include
        CC ?= cc
        CFLAGS ?= -O2 -Wall -Wextra

        lib\(name).so: \(name).c
        \t$(CC) -shared -fPIC -fvisibility=hidden $(CFLAGS) -I $(BATON_INCLUDE) \(name).c -o $@

        clean:
        \trm -f lib\(name).so

        .PHONY: clean

        """
    }
}

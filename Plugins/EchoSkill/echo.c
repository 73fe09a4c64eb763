/*
 * EchoSkill - the example C skill of Baton.
 *
 * A responder that answers every message that has text with "You said: <text>",
 * truncated so the reply stays within BATON_LIMIT_TEXT_CHARS Unicode scalars. A
 * message without text (an attachment, a sticker) gets no answer.
 *
 * An instance holds nothing but its host table, so respond may run concurrently on one instance
 * (BATON_SKILL_CAP_THREAD_SAFE). Built with -fvisibility=hidden: the only exported
 * symbol is baton_skill_entry_v1.
 *
 *     cc -shared -fPIC -fvisibility=hidden -I include Plugins/EchoSkill/echo.c -o libEchoSkill.so
 */
#include <baton/skill.h>

#include <stdlib.h>
#include <string.h>

/* The reply prefix, in bytes and in Unicode scalars (it is ASCII). */
static const char echo_prefix[] = "You said: ";
#define ECHO_PREFIX_LEN (sizeof(echo_prefix) - 1)

/* The longest reply in bytes: the prefix plus at most 4 bytes per remaining scalar. */
#define ECHO_MAX_REPLY_BYTES (ECHO_PREFIX_LEN + 4 * (BATON_LIMIT_TEXT_CHARS - ECHO_PREFIX_LEN))

/* One instance: only the host table it was created with. Several hosts may load the
 * same library in one process (each gets the same image), so the table is kept per
 * instance rather than in a global. Never written after create: thread-safe. */
typedef struct echo_instance {
    const baton_host *host;
} echo_instance;

/* Returns how many bytes of text hold at most max_scalars Unicode scalars, never
 * cutting inside a UTF-8 sequence: it stops at the lead byte of scalar max_scalars + 1. */
static size_t echo_prefix_bytes(const char *text, size_t len, size_t max_scalars) {
    size_t scalars = 0;
    size_t i;
    for (i = 0; i < len; i++) {
        unsigned char byte = (unsigned char)text[i];
        if ((byte & 0xC0u) != 0x80u) { /* not a continuation byte: a scalar starts here */
            if (scalars == max_scalars) {
                return i;
            }
            scalars++;
        }
    }
    return len;
}

static void *echo_create(const baton_host *host, baton_str config_json, baton_call *call) {
    echo_instance *instance;
    (void)config_json; /* EchoSkill has no configuration. */
    if (host == NULL) {
        return NULL;
    }
    instance = (echo_instance *)malloc(sizeof(echo_instance));
    if (instance == NULL) {
        host->set_error(call, baton_str_from_cstr("EchoSkill: out of memory"));
        return NULL;
    }
    instance->host = host;
    return instance;
}

static void echo_destroy(void *instance) {
    free(instance);
}

static int32_t echo_respond(void *instance, baton_call *call, baton_str input_json) {
    const baton_host *host = instance != NULL ? ((const echo_instance *)instance)->host : NULL;
    baton_str text = {NULL, 0};
    char reply[ECHO_MAX_REPLY_BYTES];
    size_t kept;
    baton_str reply_str;
    (void)input_json; /* input_field reads the text without a JSON parser. */

    if (host == NULL || call == NULL) {
        return BATON_E_INVALID_ARGUMENT;
    }
    if (host->input_field(call, baton_str_from_cstr("message.text"), &text) != BATON_OK ||
        text.len == 0 || text.ptr == NULL) {
        return host->no_answer(call);
    }

    /* Capping the byte count first keeps the copy inside the buffer whatever the bytes;
     * for valid UTF-8 (which the host guarantees) the cap never cuts a kept scalar. */
    kept = echo_prefix_bytes(text.ptr,
                             text.len < ECHO_MAX_REPLY_BYTES - ECHO_PREFIX_LEN
                                 ? text.len
                                 : ECHO_MAX_REPLY_BYTES - ECHO_PREFIX_LEN,
                             BATON_LIMIT_TEXT_CHARS - ECHO_PREFIX_LEN);
    memcpy(reply, echo_prefix, ECHO_PREFIX_LEN);
    memcpy(reply + ECHO_PREFIX_LEN, text.ptr, kept);

    reply_str.ptr = reply;
    reply_str.len = ECHO_PREFIX_LEN + kept;
    {
        int32_t status = host->reply_text(call, reply_str);
        if (status != BATON_OK) {
            host->set_error(call, baton_str_from_cstr("EchoSkill: the host refused the reply"));
            return status;
        }
    }
    return BATON_OK;
}

static const baton_skill echo_descriptor = {
    sizeof(baton_skill),
    BATON_SKILL_ABI_MAJOR,
    BATON_SKILL_ABI_MINOR,
    BATON_SKILL_KIND_RESPONDER,
    BATON_SKILL_CAP_THREAD_SAFE,
    "EchoSkill",
    "1.0.0",
    "Answers a text message with \"You said: <text>\".",
    echo_create,
    echo_destroy,
    echo_respond,
    NULL, /* detect: EchoSkill is a responder only */
    NULL, /* shutdown: nothing to do */
};

BATON_SKILL_EXPORT const baton_skill *baton_skill_entry_v1(const baton_host *host) {
    if (host == NULL || host->abi_major != BATON_SKILL_ABI_MAJOR ||
        host->struct_size < sizeof(baton_host)) {
        return NULL;
    }
    return &echo_descriptor;
}

/* A responder that crashes the whole process (abort) on a message containing "boom" and
 * answers "ok" to anything else: what a skill with a fatal bug on one input does to the
 * runtime that loaded it. */
#include "broken_common.h"
#include "fixture_skill.h"
#include <stdlib.h>
#include <string.h>

static const baton_host *g_host;

static int32_t boom_respond(void *instance, baton_call *call, baton_str input_json) {
    baton_str text = {0, 0};
    (void)instance;
    (void)input_json;
    g_host->input_field(call, baton_str_from_cstr("message.text"), &text);
    for (size_t i = 0; text.ptr && i + 4 <= text.len; i++) {
        if (memcmp(text.ptr + i, "boom", 4) == 0) abort();
    }
    return g_host->reply_text(call, baton_str_from_cstr("ok"));
}

FIXTURE_SKILL(
    BATON_SKILL_KIND_RESPONDER, BATON_SKILL_CAP_THREAD_SAFE, "boom", "1.0", "Aborts the process on 'boom'.",
    broken_create, broken_destroy, boom_respond, NULL)

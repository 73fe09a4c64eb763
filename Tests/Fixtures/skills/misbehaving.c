/* A responder + detector that breaks one builder rule per message text, ignoring the
 * status codes the builders return (as a careless skill would). */
#include "broken_common.h"
#include "fixture_skill.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

static const baton_host *g_host;
static baton_call *g_kept_call;

static int is(baton_str s, const char *word) {
    size_t n = strlen(word);
    return s.len == n && memcmp(s.ptr, word, n) == 0;
}

static int32_t mis_respond(void *instance, baton_call *call, baton_str input_json) {
    static char big[2001 * 2];
    char buf[64];
    baton_str text;
    int i;
    (void)instance;
    (void)input_json;
    if (g_host->input_field(call, baton_str_from_cstr("message.text"), &text) != BATON_OK) {
        return BATON_E_INVALID_ARGUMENT;
    }
    if (is(text, "utf8")) {
        baton_str bad = {"ok \xff\xfe", 5};
        g_host->reply_text(call, bad);
        return BATON_OK;
    }
    if (is(text, "long")) {
        memset(big, 'x', 2001);
        baton_str s = {big, 2001};
        g_host->reply_text(call, s);
        return BATON_OK;
    }
    if (is(text, "long-wide")) {
        /* 2001 two-byte characters: 4002 bytes, one character past the limit. */
        for (i = 0; i < 2001; i++) {
            big[2 * i] = (char)0xC3;
            big[2 * i + 1] = (char)0xA9;
        }
        baton_str s = {big, 4002};
        g_host->reply_text(call, s);
        return BATON_OK;
    }
    if (is(text, "longest")) {
        /* 2000 two-byte characters: 4000 bytes, within the limit. */
        for (i = 0; i < 2000; i++) {
            big[2 * i] = (char)0xC3;
            big[2 * i + 1] = (char)0xA9;
        }
        baton_str s = {big, 4000};
        return g_host->reply_text(call, s);
    }
    if (is(text, "quick14")) {
        g_host->reply_text(call, baton_str_from_cstr("pick one"));
        for (i = 0; i < 14; i++) {
            snprintf(buf, sizeof buf, "option %d", i + 1);
            g_host->reply_quick_reply(call, baton_str_from_cstr(buf), baton_str_from_cstr(buf));
        }
        return BATON_OK;
    }
    if (is(text, "fail")) {
        g_host->set_error(call, baton_str_from_cstr("upstream timed out"));
        return BATON_E_SKILL_FAILED;
    }
    if (is(text, "fail-silently")) {
        return BATON_E_SKILL_FAILED;
    }
    if (is(text, "twice")) {
        g_host->reply_text(call, baton_str_from_cstr("one"));
        g_host->reply_text(call, baton_str_from_cstr("two"));
        return BATON_OK;
    }
    if (is(text, "bad-attachment")) {
        g_host->reply_attachment_json(call, baton_str_from_cstr("[1, 2]"));
        return BATON_OK;
    }
    if (is(text, "keep")) {
        /* Keeps the call handle past the call: forbidden, used by "late" below. */
        g_kept_call = call;
        return g_host->reply_text(call, baton_str_from_cstr("kept"));
    }
    if (is(text, "late")) {
        int32_t late = g_host->reply_text(g_kept_call, baton_str_from_cstr("too late"));
        snprintf(buf, sizeof buf, "late status %d", (int)late);
        return g_host->reply_text(call, baton_str_from_cstr(buf));
    }
    return g_host->reply_text(call, baton_str_from_cstr("fine"));
}

static int32_t mis_detect(void *instance, baton_call *call, baton_str input_json) {
    baton_str text;
    (void)instance;
    (void)input_json;
    if (g_host->input_field(call, baton_str_from_cstr("message.text"), &text) != BATON_OK) {
        return BATON_E_INVALID_ARGUMENT;
    }
    if (is(text, "high")) {
        g_host->set_score(call, 1.5, baton_str_from_cstr("very angry"));
        return BATON_OK;
    }
    if (is(text, "nan")) {
        g_host->set_score(call, nan(""), baton_str_from_cstr("confused"));
        return BATON_OK;
    }
    if (is(text, "reply")) {
        g_host->reply_text(call, baton_str_from_cstr("detectors do not reply"));
        return BATON_OK;
    }
    return g_host->set_score(call, 0.5, baton_str_from_cstr("ok"));
}

FIXTURE_SKILL(
    BATON_SKILL_KIND_RESPONDER | BATON_SKILL_KIND_DETECTOR, 0, "misbehaving", "0.1", NULL,
    broken_create, broken_destroy, mis_respond, mis_detect)

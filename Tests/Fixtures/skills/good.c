/* A well-behaved responder + detector built from include/ alone. */
#define _GNU_SOURCE
#include <baton/skill.h>
#include <pthread.h>
#include <string.h>

#ifndef SKILL_NAME
#define SKILL_NAME "good"
#endif

static const baton_host *g_host;
static int g_instance_tag;

static void *good_create(const baton_host *host, baton_str config_json, baton_call *call) {
    (void)config_json;
    (void)call;
    host->log(host, BATON_LOG_INFO, baton_str_from_cstr("created"));
    return &g_instance_tag;
}

static void good_destroy(void *instance) { (void)instance; }

static int starts_with(baton_str s, const char *prefix) {
    size_t n = strlen(prefix);
    return s.len >= n && memcmp(s.ptr, prefix, n) == 0;
}

static int32_t good_respond(void *instance, baton_call *call, baton_str input_json) {
    (void)instance;
    (void)input_json;
    baton_str text;
    char buf[512];
    if (g_host->input_field(call, baton_str_from_cstr("message.text"), &text) != BATON_OK) {
        return g_host->no_answer(call);
    }
    if (text.len == 4 && memcmp(text.ptr, "none", 4) == 0) {
        return g_host->no_answer(call);
    }
    if (text.len == 6 && memcmp(text.ptr, "thread", 6) == 0) {
        char name[64] = "";
        pthread_getname_np(pthread_self(), name, sizeof name);
        return g_host->reply_text(call, baton_str_from_cstr(name));
    }
    if (text.len == 6 && memcmp(text.ptr, "attach", 6) == 0) {
        int32_t s = g_host->reply_attachment_json(
            call, baton_str_from_cstr("{\"type\":\"template\",\"payload\":{\"template_type\":\"button\"}}"));
        if (s != BATON_OK) return s;
        return g_host->reply_quick_reply(call, baton_str_from_cstr("Yes"), baton_str_from_cstr("YES"));
    }
    if (starts_with(text, "field:")) {
        /* Reply with the value of another input field (the key follows "field:"). */
        baton_str key = {text.ptr + 6, text.len - 6};
        baton_str value;
        int32_t s = g_host->input_field(call, key, &value);
        if (s != BATON_OK) return g_host->reply_text(call, baton_str_from_cstr("<unsupported>"));
        if (value.len == 0) return g_host->reply_text(call, baton_str_from_cstr("<empty>"));
        return g_host->reply_text(call, value);
    }
    if (text.len > sizeof buf - 6) {
        return g_host->reply_text(call, baton_str_from_cstr("too long to echo"));
    }
    memcpy(buf, "echo: ", 6);
    memcpy(buf + 6, text.ptr, text.len);
    baton_str reply = {buf, text.len + 6};
    int32_t s = g_host->reply_text(call, reply);
    if (s != BATON_OK) return s;
    return g_host->reply_quick_reply(call, baton_str_from_cstr("Human"), baton_str_from_cstr("HUMAN"));
}

static int32_t good_detect(void *instance, baton_call *call, baton_str input_json) {
    (void)instance;
    (void)input_json;
    return g_host->set_score(call, 0.25, baton_str_from_cstr("calm"));
}

static const baton_skill g_skill = {
    sizeof(baton_skill),
    BATON_SKILL_ABI_MAJOR,
    BATON_SKILL_ABI_MINOR,
    BATON_SKILL_KIND_RESPONDER | BATON_SKILL_KIND_DETECTOR,
    0,
    SKILL_NAME,
    "1.2.3",
    "a well-behaved test skill",
    good_create,
    good_destroy,
    good_respond,
    good_detect,
    NULL,
};

BATON_SKILL_EXPORT const baton_skill *baton_skill_entry_v1(const baton_host *host) {
    g_host = host;
    return &g_skill;
}

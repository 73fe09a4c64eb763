/* A thread-safe responder whose calls on a message containing "slow" block until the
 * file "<gate>/open" exists (the folder comes from the config {"gate": "/path"}), after
 * appending a line to "<gate>/started". Other messages are answered at once. Lets tests hold one
 * user's skill call for exactly as long as they want, without timing guesses. */
#define _POSIX_C_SOURCE 200809L
#include <baton/skill.h>
#include "fixture_skill.h"
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const baton_host *g_host;
static char g_gate[1024];

static int contains(baton_str haystack, const char *needle) {
    size_t n = strlen(needle);
    for (size_t i = 0; haystack.ptr && i + n <= haystack.len; i++) {
        if (memcmp(haystack.ptr + i, needle, n) == 0) return 1;
    }
    return 0;
}

static void *gated_create(const baton_host *host, baton_str config, baton_call *call) {
    (void)host;
    const char *key = "\"gate\":\"";
    size_t k = strlen(key);
    for (size_t i = 0; config.ptr && i + k <= config.len; i++) {
        if (memcmp(config.ptr + i, key, k) != 0) continue;
        size_t start = i + k, end = start;
        while (end < config.len && config.ptr[end] != '"') end++;
        if (end - start >= sizeof g_gate) break;
        memcpy(g_gate, config.ptr + start, end - start);
        g_gate[end - start] = 0;
        return g_gate;
    }
    g_host->set_error(call, baton_str_from_cstr("config needs {\"gate\": \"/folder\"}"));
    return NULL;
}

static void gated_destroy(void *instance) { (void)instance; }

static int32_t gated_respond(void *instance, baton_call *call, baton_str input) {
    (void)input;
    (void)instance;
    baton_str text = {0, 0};
    g_host->input_field(call, baton_str_from_cstr("message.text"), &text);
    if (!contains(text, "slow")) return g_host->reply_text(call, baton_str_from_cstr("quick answer"));
    char path[1100];
    snprintf(path, sizeof path, "%s/started", g_gate);
    FILE *started = fopen(path, "a"); /* one line per held call */
    if (started) {
        fputs("started\n", started);
        fclose(started);
    }
    snprintf(path, sizeof path, "%s/open", g_gate);
    struct timespec pause = {0, 5 * 1000 * 1000};
    for (int i = 0; i < 12000 && access(path, F_OK) != 0; i++) nanosleep(&pause, NULL); /* 60 s at most */
    return g_host->reply_text(call, baton_str_from_cstr("slow answer"));
}

FIXTURE_SKILL(
    BATON_SKILL_KIND_RESPONDER, BATON_SKILL_CAP_THREAD_SAFE, "gated", "1.0", "Holds calls on 'slow' messages until a file appears.",
    gated_create, gated_destroy, gated_respond, NULL)

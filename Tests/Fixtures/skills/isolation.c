/* A thread-safe responder + detector that breaks its process on a trigger word, for the
 * process-isolation tests: "segv" dereferences NULL, "abort" aborts, "spin" loops for ever,
 * "hog" allocates (and touches) memory without bound; "pid" answers "pid <N>" with its process
 * id; anything else is answered "ok: <text>". detect scores 0.1, and breaks on the same words
 * only when the text also holds "in-detect" (so that a message kills one worker, not two).
 * -DRESPONDER_ONLY makes it a responder alone.
 * "hog" gives up at 8 GiB with an error, so a limit that was not applied fails the test
 * instead of exhausting the machine. */
#define _POSIX_C_SOURCE 200809L
#include "fixture_skill.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const baton_host *g_host;
static int g_tag;

static int contains(baton_str text, const char *word) {
    size_t n = strlen(word);
    for (size_t i = 0; text.ptr && i + n <= text.len; i++) {
        if (memcmp(text.ptr + i, word, n) == 0) return 1;
    }
    return 0;
}

static void *iso_create(const baton_host *host, baton_str config, baton_call *call) {
    (void)host;
    (void)config;
    (void)call;
    return &g_tag;
}

static void iso_destroy(void *instance) { (void)instance; }

/* Breaks the process when the text holds a trigger word; returns 0 otherwise, or -1 when
 * "hog" reached its cap without the allocation failing. */
static int misbehave(baton_call *call, baton_str text) {
    if (contains(text, "segv")) {
        volatile int *nowhere = NULL;
        return *nowhere;
    }
    if (contains(text, "abort")) abort();
    if (contains(text, "spin")) {
        volatile unsigned long counter = 0;
        for (;;) counter++;
    }
    if (contains(text, "hog")) {
        const size_t chunk = 1 << 20;
        for (size_t total = 0; total < ((size_t)8 << 30); total += chunk) {
            char *block = malloc(chunk);
            memset(block, 1, chunk); /* no NULL check: a runaway allocation crashes where it fails */
        }
        g_host->set_error(call, baton_str_from_cstr("allocated 8 GiB: no memory limit applied"));
        return -1;
    }
    return 0;
}

static int32_t iso_respond(void *instance, baton_call *call, baton_str input) {
    (void)instance;
    (void)input;
    baton_str text = {0, 0};
    g_host->input_field(call, baton_str_from_cstr("message.text"), &text);
    if (misbehave(call, text) != 0) return BATON_E_INTERNAL;
    char reply[256];
    if (contains(text, "pid")) {
        snprintf(reply, sizeof reply, "pid %ld", (long)getpid());
    } else {
        snprintf(reply, sizeof reply, "ok: %.*s", (int)(text.len < 200 ? text.len : 200), text.ptr ? text.ptr : "");
    }
    return g_host->reply_text(call, baton_str_from_cstr(reply));
}

__attribute__((unused)) static int32_t iso_detect(void *instance, baton_call *call, baton_str input) {
    (void)instance;
    (void)input;
    baton_str text = {0, 0};
    g_host->input_field(call, baton_str_from_cstr("message.text"), &text);
    if (contains(text, "in-detect") && misbehave(call, text) != 0) return BATON_E_INTERNAL;
    return g_host->set_score(call, 0.1, baton_str_from_cstr("calm"));
}

#ifdef RESPONDER_ONLY /* for the circuit-breaker test: every call is a respond */
FIXTURE_SKILL(
    BATON_SKILL_KIND_RESPONDER, BATON_SKILL_CAP_THREAD_SAFE, "isolation", "1.0", "Breaks its process on segv, abort, spin or hog.",
    iso_create, iso_destroy, iso_respond, NULL)
#else
FIXTURE_SKILL(
    BATON_SKILL_KIND_RESPONDER | BATON_SKILL_KIND_DETECTOR, BATON_SKILL_CAP_THREAD_SAFE, "isolation", "1.0",
    "Breaks its process on segv, abort, spin or hog.", iso_create, iso_destroy, iso_respond, iso_detect)
#endif

/* A thread-safe responder whose answers name its version: "<VERSION_TAG>: <message>" (hot-reload
 * tests build it twice, as v1 and v2, and replace one with the other under load). The descriptor's
 * version is VERSION_STRING. With -DDETECTOR_ONLY it is a detector named "steady" that scores 0.1
 * (an entry a reload leaves unchanged); with -DCRASH_IN_CREATE its `create` dereferences NULL (a
 * broken new version); with -DWRONG_MAJOR its descriptor claims ABI major 2. With -DGATE_DIR="/dir"
 * a message starting with "hold" creates "<dir>/started" and blocks until "<dir>/open" exists (60 s
 * at most), so a test can keep a call in flight across a reload. The message "die" aborts (a
 * crash, for tests of workers started again under isolation: process). `versioned_reply` gives
 * the same answer as a plain C function (`ffi:`). */
#define _POSIX_C_SOURCE 200809L
#include "fixture_skill.h"
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef VERSION_TAG
#define VERSION_TAG "v1"
#endif
#ifndef VERSION_STRING
#define VERSION_STRING "1.0.0"
#endif

static const baton_host *g_host;
static int g_tag __attribute__((unused));

static void *versioned_create(const baton_host *host, baton_str config, baton_call *call) {
    (void)host;
    (void)config;
    (void)call;
#ifdef CRASH_IN_CREATE
    volatile int *nowhere = NULL;
    return (void *)(size_t)*nowhere;
#else
    return &g_tag;
#endif
}

static void versioned_destroy(void *instance) { (void)instance; }

__attribute__((unused)) static int32_t versioned_respond(void *instance, baton_call *call, baton_str input_json) {
    baton_str text;
    char reply[600];
    size_t prefix = strlen(VERSION_TAG ": ");
    (void)instance;
    (void)input_json;
    if (g_host->input_field(call, baton_str_from_cstr("message.text"), &text) != BATON_OK) return g_host->no_answer(call);
#ifdef GATE_DIR
    if (text.len >= 4 && memcmp(text.ptr, "hold", 4) == 0) {
        FILE *started = fopen(GATE_DIR "/started", "a");
        if (started) fclose(started);
        struct timespec pause = {0, 5 * 1000 * 1000};
        for (int i = 0; i < 12000 && access(GATE_DIR "/open", F_OK) != 0; i++) nanosleep(&pause, NULL);
    }
#endif
    if (text.len == 3 && memcmp(text.ptr, "die", 3) == 0) abort();
    if (text.len > sizeof reply - prefix) return g_host->reply_text(call, baton_str_from_cstr(VERSION_TAG ": too long"));
    memcpy(reply, VERSION_TAG ": ", prefix);
    memcpy(reply + prefix, text.ptr, text.len);
    baton_str answer = {reply, prefix + text.len};
    return g_host->reply_text(call, answer);
}

__attribute__((unused)) static int32_t versioned_detect(void *instance, baton_call *call, baton_str input_json) {
    (void)instance;
    (void)input_json;
    return g_host->set_score(call, 0.1, baton_str_from_cstr("steady"));
}

/* The same answer as a plain C function, for `ffi:` entries. */
__attribute__((visibility("default"))) int versioned_reply(const char *text, size_t length, char *out, size_t out_capacity) {
    int written = snprintf(out, out_capacity, VERSION_TAG ": %.*s", (int)length, text);
    return written < 0 || (size_t)written >= out_capacity ? -1 : written;
}

#if defined(WRONG_MAJOR)
static const baton_skill g_skill = {
    sizeof(baton_skill), 2, 0, BATON_SKILL_KIND_RESPONDER, BATON_SKILL_CAP_THREAD_SAFE, "versioned", VERSION_STRING, NULL,
    versioned_create, versioned_destroy, versioned_respond, NULL, NULL,
};
BATON_SKILL_EXPORT const baton_skill *baton_skill_entry_v1(const baton_host *host) {
    g_host = host;
    return &g_skill;
}
#elif defined(DETECTOR_ONLY)
FIXTURE_SKILL(
    BATON_SKILL_KIND_DETECTOR, BATON_SKILL_CAP_THREAD_SAFE, "steady", VERSION_STRING, "Scores every message 0.1.", versioned_create,
    versioned_destroy, NULL, versioned_detect)
#else
FIXTURE_SKILL(
    BATON_SKILL_KIND_RESPONDER, BATON_SKILL_CAP_THREAD_SAFE, "versioned", VERSION_STRING, "Answers naming its version.", versioned_create,
    versioned_destroy, versioned_respond, NULL)
#endif

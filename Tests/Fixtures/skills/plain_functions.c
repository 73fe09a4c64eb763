/*
 * Plain C functions bound as skills through libffi (FFISkillTests, FFISkillEndToEndTests):
 * one per supported form, and some that break the rules on purpose. No skill ABI, no header.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

static int mentions(const char *text, const char *word) { return strstr(text, word) != NULL; }

/* double detector: 0.9 when the text mentions "refund", else 0.1; -1 (refused) when the
   length is not the text's strlen, so a wrong argument order shows. */
EXPORT double refund_score(const char *text, size_t length) {
    if (strlen(text) != length) return -1.0;
    return mentions(text, "refund") ? 0.9 : 0.1;
}

/* float detector, the length first. */
EXPORT float refund_score_f(size_t length, const char *text) {
    if (strlen(text) != length) return -1.0f;
    return mentions(text, "refund") ? 0.75f : 0.25f;
}

/* int detector, the text alone: any non-zero value means 1. */
EXPORT int wants_human(const char *text) { return mentions(text, "human") ? -42 : 0; }

/* bool detector. */
EXPORT bool shouting(const char *text, size_t length) { return length > 0 && mentions(text, "!!!"); }

/* responder: a refund answer, no answer otherwise. */
EXPORT int refund_reply(const char *text, size_t length, char *out, size_t out_capacity) {
    if (!mentions(text, "refund")) return 0;
    return snprintf(out, out_capacity, "Refunds take 5 days (%zu bytes read).", length);
}

/* responder without the length: the text back, byte for byte. */
EXPORT int echo_reply(const char *text, char *out, size_t out_capacity) {
    size_t n = strlen(text);
    if (n > out_capacity) return -1;
    memcpy(out, text, n);
    return (int)n;
}

/* responder: the name of the thread it runs on. */
EXPORT int thread_reply(const char *text, size_t length, char *out, size_t out_capacity) {
    (void)text;
    (void)length;
    if (pthread_getname_np(pthread_self(), out, out_capacity < 16 ? out_capacity : 16) != 0) return -1;
    return (int)strlen(out);
}

/* Broken on purpose. */
EXPORT double score_too_high(const char *text) { (void)text; return 1.5; }
EXPORT double score_nan(const char *text) { (void)text; return __builtin_nan(""); }
EXPORT float score_negative(const char *text) { (void)text; return -0.5f; }
EXPORT int reply_past_capacity(const char *text, size_t length, char *out, size_t out_capacity) {
    (void)text; (void)length; (void)out;
    return (int)out_capacity + 1;
}
EXPORT int reply_bad_utf8(const char *text, size_t length, char *out, size_t out_capacity) {
    (void)text; (void)length; (void)out_capacity;
    out[0] = (char)0xC3;
    out[1] = '(';
    return 2;
}
/* `count` two-byte characters (U+00E9): 2000 are the most a reply may have, 2001 one too many. */
static int reply_wide(char *out, size_t out_capacity, int count) {
    if (out_capacity < (size_t)count * 2) return -1;
    for (int i = 0; i < count; i++) {
        out[2 * i] = (char)0xC3;
        out[2 * i + 1] = (char)0xA9;
    }
    return count * 2;
}
EXPORT int reply_longest(const char *text, size_t length, char *out, size_t out_capacity) {
    (void)text; (void)length;
    return reply_wide(out, out_capacity, 2000);
}
EXPORT int reply_too_long(const char *text, size_t length, char *out, size_t out_capacity) {
    (void)text; (void)length;
    return reply_wide(out, out_capacity, 2001);
}
EXPORT int reply_fails(const char *text, size_t length, char *out, size_t out_capacity) {
    (void)text; (void)length; (void)out; (void)out_capacity;
    return -7;
}
EXPORT double crash_score(const char *text) {
    volatile const char *nothing = NULL;
    return text[0] == '\0' ? 0.0 : (double)nothing[0];
}

/* Blocks until a call with the text "release" comes: a call past its deadline. */
static atomic_int released;
EXPORT double blocked_score(const char *text) {
    if (strcmp(text, "release") == 0) {
        atomic_store(&released, 1);
        return 0.0;
    }
    while (!atomic_load(&released)) usleep(1000);
    return 0.0;
}
/* detector that dereferences NULL when the text mentions "boom": under isolation: process
   it costs its worker, never the runtime. */
EXPORT double boom_score(const char *text) {
    volatile const char *nothing = NULL;
    return mentions(text, "boom") ? (double)nothing[0] : 0.1;
}

/* A responder + detector that breaks one rule on every call, the rule chosen at compile
 * time, for the `baton skill check` tests (the checker's inputs are fixed, so the message
 * text cannot select the behaviour as in misbehaving.c):
 *   -DCASE_FAIL       respond fails with set_error("upstream timed out")
 *   -DCASE_UTF8       respond replies with invalid UTF-8
 *   -DCASE_LONG       respond replies with 2001 characters
 *   -DCASE_SCORE      detect sets the score 1.5
 *   -DCASE_SLEEP      respond sleeps 5 s before answering
 *   -DCASE_EXPORT     the library exports a second function, helper_exported
 * Without a CASE it is a well-behaved skill. */
#include "broken_common.h"
#include "fixture_skill.h"
#include <string.h>
#include <unistd.h>

static const baton_host *g_host;

#ifdef CASE_EXPORT
BATON_SKILL_EXPORT int helper_exported(int x);
BATON_SKILL_EXPORT int helper_exported(int x) { return x + 1; }
#endif

static int32_t cases_respond(void *instance, baton_call *call, baton_str input_json) {
    (void)instance;
    (void)input_json;
#if defined(CASE_FAIL)
    g_host->set_error(call, baton_str_from_cstr("upstream timed out"));
    return BATON_E_SKILL_FAILED;
#elif defined(CASE_UTF8)
    {
        baton_str bad = {"ok \xff\xfe", 5};
        g_host->reply_text(call, bad);
        return BATON_OK;
    }
#elif defined(CASE_LONG)
    {
        static char big[2001];
        baton_str s = {big, sizeof big};
        memset(big, 'x', sizeof big);
        g_host->reply_text(call, s);
        return BATON_OK;
    }
#elif defined(CASE_SLEEP)
    sleep(5);
    return g_host->reply_text(call, baton_str_from_cstr("finally"));
#else
    return g_host->reply_text(call, baton_str_from_cstr("fine"));
#endif
}

static int32_t cases_detect(void *instance, baton_call *call, baton_str input_json) {
    (void)instance;
    (void)input_json;
#if defined(CASE_SCORE)
    g_host->set_score(call, 1.5, baton_str_from_cstr("very angry"));
    return BATON_OK;
#else
    return g_host->set_score(call, 0.25, baton_str_from_cstr("calm"));
#endif
}

FIXTURE_SKILL(
    BATON_SKILL_KIND_RESPONDER | BATON_SKILL_KIND_DETECTOR, 0, "checker_cases", "0.1", NULL,
    broken_create, broken_destroy, cases_respond, cases_detect)

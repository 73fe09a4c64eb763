/* A responder that dereferences NULL inside respond: `baton skill check` must survive it
 * (the checks run in a child process) and name the signal and the check. */
#include "broken_common.h"
#include <stddef.h>


static int32_t crash_respond(void *instance, baton_call *call, baton_str input_json) {
    volatile int *nowhere = NULL;
    (void)instance;
    (void)call;
    (void)input_json;
    return (int32_t)*nowhere;
}

static const baton_skill crash_skill = {
    sizeof(baton_skill), BATON_SKILL_ABI_MAJOR, BATON_SKILL_ABI_MINOR, BATON_SKILL_KIND_RESPONDER, 0,
    "crash", "0.1", NULL, broken_create, broken_destroy, crash_respond, NULL, NULL,
};

BATON_SKILL_EXPORT const baton_skill *baton_skill_entry_v1(const baton_host *host) {
    (void)host;
    return &crash_skill;
}

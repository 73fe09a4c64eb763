/* Built against a future major: the host must refuse it. */
#include "broken_common.h"

static const baton_skill g_skill = {
    sizeof(baton_skill), 2, 0, BATON_SKILL_KIND_RESPONDER, 0, "wrong_major", "1.0", NULL,
    broken_create, broken_destroy, broken_respond, NULL, NULL,
};

BATON_SKILL_EXPORT const baton_skill *baton_skill_entry_v1(const baton_host *host) {
    (void)host;
    return &g_skill;
}

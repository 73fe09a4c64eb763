/* Built against a newer minor than the host's: the host must refuse it. */
#include "broken_common.h"

static const baton_skill g_skill = {
    sizeof(baton_skill), BATON_SKILL_ABI_MAJOR, BATON_SKILL_ABI_MINOR + 1, BATON_SKILL_KIND_RESPONDER, 0,
    "newer_minor", "1.0", NULL, broken_create, broken_destroy, broken_respond, NULL, NULL,
};

BATON_SKILL_EXPORT const baton_skill *baton_skill_entry_v1(const baton_host *host) {
    (void)host;
    return &g_skill;
}

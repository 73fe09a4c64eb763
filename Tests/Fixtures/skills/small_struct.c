/* Claims a descriptor smaller than the ABI 1.0 one. */
#include "broken_common.h"

static const baton_skill g_skill = {
    16, BATON_SKILL_ABI_MAJOR, BATON_SKILL_ABI_MINOR, BATON_SKILL_KIND_RESPONDER, 0, "small_struct", "1.0",
    NULL, broken_create, broken_destroy, broken_respond, NULL, NULL,
};

BATON_SKILL_EXPORT const baton_skill *baton_skill_entry_v1(const baton_host *host) {
    (void)host;
    return &g_skill;
}

/* Exports a differently named entry: the host must not find baton_skill_entry_v1. */
#include <baton/skill.h>

BATON_SKILL_EXPORT const baton_skill *baton_skill_entry_v2(const baton_host *host);

BATON_SKILL_EXPORT const baton_skill *baton_skill_entry_v2(const baton_host *host) {
    (void)host;
    return NULL;
}

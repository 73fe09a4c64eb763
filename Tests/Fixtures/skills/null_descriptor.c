/* Refuses to load by returning NULL from the entry. */
#include <baton/skill.h>

BATON_SKILL_EXPORT const baton_skill *baton_skill_entry_v1(const baton_host *host) {
    (void)host;
    return NULL;
}

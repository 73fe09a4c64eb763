/* The skill table and entry point most fixtures share. A fixture declares
 * `static const baton_host *g_host;` (its callbacks use it), then ends with FIXTURE_SKILL(...):
 * the table `g_skill` (ABI of this header, no reserved field) and `baton_skill_entry_v1`,
 * which keeps the host in `g_host` and returns the table. */
#include <baton/skill.h>

#define FIXTURE_SKILL(kinds, caps, name, version, description, create, destroy, respond, detect)           \
    static const baton_skill g_skill = {                                                                 \
        sizeof(baton_skill), BATON_SKILL_ABI_MAJOR, BATON_SKILL_ABI_MINOR, (kinds), (caps), (name),      \
        (version), (description), (create), (destroy), (respond), (detect), NULL,                        \
    };                                                                                                   \
    BATON_SKILL_EXPORT const baton_skill *baton_skill_entry_v1(const baton_host *host) {                 \
        g_host = host;                                                                                   \
        return &g_skill;                                                                                 \
    }

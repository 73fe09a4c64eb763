/* A skill that crashes while it loads: its entry dereferences NULL, or with -DCRASH_IN_CREATE
 * its entry is fine and `create` dereferences NULL. `baton serve` must survive it (the check
 * runs in a child process), print one line naming the file and the signal, and exit 2. */
#include "broken_common.h"
#include "fixture_skill.h"
#include <stddef.h>

static const baton_host *g_host;

#ifdef CRASH_IN_CREATE
static void *crashing_create(const baton_host *host, baton_str config, baton_call *call) {
    volatile int *nowhere = NULL;
    (void)host;
    (void)config;
    (void)call;
    return (void *)(size_t)*nowhere;
}

FIXTURE_SKILL(
    BATON_SKILL_KIND_RESPONDER, 0, "create_crash", "1.0", "Crashes in create.", crashing_create, broken_destroy, broken_respond, NULL)
#else
BATON_SKILL_EXPORT const baton_skill *baton_skill_entry_v1(const baton_host *host) {
    volatile const baton_skill *nowhere = NULL;
    g_host = host;
    return (const baton_skill *)nowhere->name;
}
#endif

/* Shared by the broken fixtures: an instance that holds nothing, and a respond that answers
 * nothing. `static inline`, so that a fixture may leave any of them unused under -Werror. */
#include <baton/skill.h>

static int broken_tag;

static inline void *broken_create(const baton_host *host, baton_str config_json, baton_call *call) {
    (void)host;
    (void)config_json;
    (void)call;
    return &broken_tag;
}

static inline void broken_destroy(void *instance) { (void)instance; }

static inline int32_t broken_respond(void *instance, baton_call *call, baton_str input_json) {
    (void)instance;
    (void)call;
    (void)input_json;
    return BATON_OK;
}

/* create always refuses; it explains why (set_error) when the config contains "explain". */
#include <baton/skill.h>
#include <string.h>

static const baton_host *g_host;

static void *refusing_create(const baton_host *host, baton_str config_json, baton_call *call) {
    const char *needle = "\"explain\"";
    size_t n = strlen(needle);
    size_t i;
    for (i = 0; i + n <= config_json.len; i++) {
        if (memcmp(config_json.ptr + i, needle, n) == 0) {
            host->set_error(call, baton_str_from_cstr("missing api_key in config"));
            break;
        }
    }
    return NULL;
}

static void refusing_destroy(void *instance) { (void)instance; }

static int32_t refusing_respond(void *instance, baton_call *call, baton_str input_json) {
    (void)instance;
    (void)input_json;
    return g_host->no_answer(call);
}

static const baton_skill g_skill = {
    sizeof(baton_skill), BATON_SKILL_ABI_MAJOR, BATON_SKILL_ABI_MINOR, BATON_SKILL_KIND_RESPONDER, 0,
    "create_null", "1.0", NULL, refusing_create, refusing_destroy, refusing_respond, NULL, NULL,
};

BATON_SKILL_EXPORT const baton_skill *baton_skill_entry_v1(const baton_host *host) {
    g_host = host;
    return &g_skill;
}

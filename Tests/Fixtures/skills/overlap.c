/* Detects two respond calls running at once on one instance. Not thread-safe unless
 * built with -DTHREAD_SAFE, which makes it declare BATON_SKILL_CAP_THREAD_SAFE (and the
 * host may then overlap calls, which this skill reports). */
#define _POSIX_C_SOURCE 200809L
#include <baton/skill.h>
#include <stdatomic.h>
#include <time.h>

#ifdef THREAD_SAFE
#define OVERLAP_CAPS BATON_SKILL_CAP_THREAD_SAFE
#else
#define OVERLAP_CAPS 0
#endif

static const baton_host *g_host;

typedef struct overlap_instance {
    atomic_int running;
} overlap_instance;

static overlap_instance g_instance;

static void *overlap_create(const baton_host *host, baton_str config_json, baton_call *call) {
    (void)host;
    (void)config_json;
    (void)call;
    atomic_store(&g_instance.running, 0);
    return &g_instance;
}

static void overlap_destroy(void *instance) { (void)instance; }

static int32_t overlap_respond(void *instance, baton_call *call, baton_str input_json) {
    overlap_instance *self = (overlap_instance *)instance;
    struct timespec pause = {0, 2 * 1000 * 1000};
    (void)input_json;
    if (atomic_fetch_add(&self->running, 1) != 0) {
        atomic_fetch_sub(&self->running, 1);
        g_host->set_error(call, baton_str_from_cstr("overlap detected"));
        return BATON_E_SKILL_FAILED;
    }
    nanosleep(&pause, NULL);
    atomic_fetch_sub(&self->running, 1);
    return g_host->reply_text(call, baton_str_from_cstr("alone"));
}

static const baton_skill g_skill = {
    sizeof(baton_skill), BATON_SKILL_ABI_MAJOR, BATON_SKILL_ABI_MINOR, BATON_SKILL_KIND_RESPONDER,
    OVERLAP_CAPS, "overlap", "1.0", NULL, overlap_create, overlap_destroy, overlap_respond, NULL, NULL,
};

BATON_SKILL_EXPORT const baton_skill *baton_skill_entry_v1(const baton_host *host) {
    g_host = host;
    return &g_skill;
}

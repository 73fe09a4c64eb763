/* A thread-safe responder that answers every message with the same video, attached by URL,
 * and one quick reply: what Baton uploads once and then sends by attachment id. The URL is
 * VIDEO_URL (override with -DVIDEO_URL='"https://..."'). */
#include "broken_common.h"
#include "fixture_skill.h"

#ifndef VIDEO_URL
#define VIDEO_URL "https://cdn.example.com/media/welcome.mp4"
#endif

static const baton_host *g_host;

static int32_t video_respond(void *instance, baton_call *call, baton_str input_json) {
    (void)instance;
    (void)input_json;
    int32_t status = g_host->reply_attachment_json(
        call, baton_str_from_cstr("{\"type\":\"video\",\"payload\":{\"url\":\"" VIDEO_URL "\"}}"));
    if (status != BATON_OK) return status;
    return g_host->reply_quick_reply(call, baton_str_from_cstr("Human"), baton_str_from_cstr("HUMAN"));
}

FIXTURE_SKILL(
    BATON_SKILL_KIND_RESPONDER, BATON_SKILL_CAP_THREAD_SAFE, "video", "1.0", "Answers every message with a video by URL.",
    broken_create, broken_destroy, video_respond, NULL)

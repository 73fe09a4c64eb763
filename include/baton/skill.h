/*
 * baton/skill.h - the Baton skill ABI, version 1.
 *
 * A skill is a shared library that exports one symbol, baton_skill_entry_v1, and
 * nothing else. Baton loads it with dlopen(RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE),
 * never unloads it, and talks to it only through the two tables below:
 *
 *   baton_host   - passed by Baton to the skill: ABI versions and the host builders
 *                  a skill calls to write its answer (reply text, quick replies, an
 *                  attachment, a score, an error) and to log.
 *   baton_skill  - returned by the skill: its name, version, kind, capabilities and
 *                  the functions Baton calls (create, destroy, respond, detect, shutdown).
 *
 * Rules that hold for every item in this header:
 *
 *  - Names: every identifier starts with baton_ / BATON_.
 *  - Strings: baton_str is UTF-8 given as pointer + length, never NUL-terminated.
 *    len == 0 may come with ptr == NULL. The only NUL-terminated strings are the
 *    static name/version/description fields of the descriptor.
 *  - Memory: everything Baton passes in is BORROWED and valid only until the call
 *    returns. Everything a skill hands back goes through a host builder, which COPIES
 *    it at once; the skill keeps ownership of its own buffers. Nothing is ever freed
 *    across the boundary.
 *  - Errors: functions return int32_t status codes (BATON_OK or a negative
 *    BATON_E_* value). The set of codes is open: treat unknown negative values as
 *    BATON_E_INTERNAL. No C++ exception, Rust panic, Swift error or longjmp may
 *    cross the boundary.
 *  - Threads: baton_skill_entry_v1, create, destroy and shutdown are called from one
 *    control thread. respond and detect may run concurrently on DIFFERENT instances;
 *    on the SAME instance only if the skill sets BATON_SKILL_CAP_THREAD_SAFE. Baton
 *    never calls a skill on a network event-loop thread, so a skill may block, within
 *    the time budget the operator configures.
 *  - Growth: both tables begin with struct_size and only ever grow at the end. A
 *    reader checks struct_size before touching a field added by a later minor.
 *
 * Input: respond and detect receive one JSON document (schema BATON_SKILL_INPUT_SCHEMA):
 *
 *   {
 *     "schema": 1,
 *     "message": {
 *       "mid": "m_...", "timestamp": 1730462400000,
 *       "text": "hello",                      (absent when the message has no text)
 *       "quick_reply_payload": "...",         (a tapped quick reply)
 *       "postback": {"title": "...", "payload": "..."},
 *       "attachments": [{"type": "image", "url": "https://..."}]
 *     },
 *     "conversation": {
 *       "page_id": "109876543210987", "psid": "5012345678901234",
 *       "recent_turns": [{"from": "user" | "bot" | "agent", "text": "...", "timestamp": 0}],
 *       "consecutive_fallbacks": 0,
 *       "seconds_since_last_user_message": 12.5   (null for a first message)
 *     }
 *   }
 *
 * It never contains a token or secret. New keys may appear in later minors; skills
 * ignore keys they do not know. For C skills that do not want a JSON parser,
 * baton_host.input_field returns the common fields directly.
 */
#ifndef BATON_SKILL_H
#define BATON_SKILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------
 * Versions
 * ------------------------------------------------------------------------------ */

/** The ABI major version. A different major is refused at load time. */
#define BATON_SKILL_ABI_MAJOR 1
/** The ABI minor version of this header. A skill built against a newer minor than
 *  the host's is refused; an older one is accepted. */
#define BATON_SKILL_ABI_MINOR 0
/** The schema version of the input JSON ("schema" key). */
#define BATON_SKILL_INPUT_SCHEMA 1

/** Marks the entry symbol as exported when a skill builds with -fvisibility=hidden. */
#if defined(__GNUC__) || defined(__clang__)
#define BATON_SKILL_EXPORT __attribute__((visibility("default")))
#else
#define BATON_SKILL_EXPORT
#endif

/* ---------------------------------------------------------------------------------
 * Status codes (an open set: unknown negative values mean BATON_E_INTERNAL)
 * ------------------------------------------------------------------------------ */

/** Success. */
#define BATON_OK 0
/** An argument was NULL, out of range or not of the expected form. */
#define BATON_E_INVALID_ARGUMENT (-1)
/** Text or data that must be UTF-8 was not. */
#define BATON_E_INVALID_UTF8 (-2)
/** A value exceeds one of Messenger's limits (text length, quick-reply count...). */
#define BATON_E_LIMIT (-3)
/** A builder was called at the wrong time (for example two replies in one call,
 *  a reply from detect, or a call context used after its call returned). */
#define BATON_E_STATE (-4)
/** The skill cannot handle this request (for example detect on a responder). */
#define BATON_E_UNSUPPORTED (-5)
/** Memory ran out. */
#define BATON_E_NO_MEMORY (-6)
/** The skill failed; it should have called set_error with the reason. */
#define BATON_E_SKILL_FAILED (-7)
/** Anything else. */
#define BATON_E_INTERNAL (-100)

/* ---------------------------------------------------------------------------------
 * Descriptor values
 * ------------------------------------------------------------------------------ */

/** kind bit: the skill writes replies (respond). */
#define BATON_SKILL_KIND_RESPONDER 0x1u
/** kind bit: the skill scores the need for a human (detect). */
#define BATON_SKILL_KIND_DETECTOR 0x2u

/** capability bit: respond/detect may run concurrently on ONE instance. */
#define BATON_SKILL_CAP_THREAD_SAFE 0x1u

/** Log levels for baton_host.log. */
#define BATON_LOG_DEBUG 0
#define BATON_LOG_INFO 1
#define BATON_LOG_WARNING 2
#define BATON_LOG_ERROR 3

/** Messenger's limits, enforced by the host builders. Characters are Unicode
 *  scalar values. */
#define BATON_LIMIT_TEXT_CHARS 2000
#define BATON_LIMIT_QUICK_REPLIES 13
#define BATON_LIMIT_QUICK_REPLY_TITLE_CHARS 20
#define BATON_LIMIT_QUICK_REPLY_PAYLOAD_CHARS 1000
#define BATON_LIMIT_ATTACHMENT_JSON_BYTES 65536
#define BATON_LIMIT_REASON_CHARS 1000
#define BATON_LIMIT_ERROR_CHARS 1000

/* ---------------------------------------------------------------------------------
 * Types
 * ------------------------------------------------------------------------------ */

/** A UTF-8 string given as pointer and length; not NUL-terminated.
 *  ptr may be NULL when len is 0. */
typedef struct baton_str {
    const char *ptr;
    size_t len;
} baton_str;

/** One call in progress (create, respond or detect). Opaque; owned by the host;
 *  valid only on the calling thread until the call returns. Every builder takes it
 *  first. */
typedef struct baton_call baton_call;

/** The table Baton passes to baton_skill_entry_v1 and create. Owned by the host and
 *  valid for the life of the process; a skill may keep the pointer. */
typedef struct baton_host {
    /** sizeof(baton_host) as the host built it. Check it before reading a field
     *  added after 1.0. */
    uint32_t struct_size;
    /** BATON_SKILL_ABI_MAJOR of the host. */
    uint32_t abi_major;
    /** BATON_SKILL_ABI_MINOR of the host. */
    uint32_t abi_minor;
    /** Reserved, zero. */
    uint32_t reserved;

    /** Logs one line under the skill's name.
     *  @param host     this table.
     *  @param level    BATON_LOG_*; other values log as errors.
     *  @param message  UTF-8 text, copied; invalid bytes are replaced.
     *  Thread: any thread, at any time after the entry returned. */
    void (*log)(const struct baton_host *host, int32_t level, baton_str message);

    /** Sets the reply text. At most once per respond call.
     *  @param call  the respond call.
     *  @param text  1 to BATON_LIMIT_TEXT_CHARS characters of UTF-8; copied.
     *  @return BATON_OK; BATON_E_INVALID_UTF8; BATON_E_LIMIT when empty or too long;
     *          BATON_E_STATE when a reply was already set or outside respond.
     *  Thread: the calling thread, during the call. */
    int32_t (*reply_text)(baton_call *call, baton_str text);

    /** Adds one quick reply button to the reply (text or attachment).
     *  @param call     the respond call.
     *  @param title    1 to BATON_LIMIT_QUICK_REPLY_TITLE_CHARS characters; copied.
     *  @param payload  1 to BATON_LIMIT_QUICK_REPLY_PAYLOAD_CHARS characters, returned
     *                  as message.quick_reply_payload when tapped; copied.
     *  @return BATON_OK; BATON_E_INVALID_UTF8; BATON_E_LIMIT past
     *          BATON_LIMIT_QUICK_REPLIES buttons or a bad length; BATON_E_STATE
     *          outside respond.
     *  Thread: the calling thread, during the call. */
    int32_t (*reply_quick_reply)(baton_call *call, baton_str title, baton_str payload);

    /** Sets the reply to an attachment or template, given as the JSON object of
     *  Messenger's message.attachment ({"type": "...", "payload": {...}}).
     *  At most once per respond call, and not together with reply_text.
     *  @param call  the respond call.
     *  @param json  UTF-8 JSON object of at most BATON_LIMIT_ATTACHMENT_JSON_BYTES; copied.
     *  @return BATON_OK; BATON_E_INVALID_UTF8; BATON_E_INVALID_ARGUMENT when it is not
     *          a JSON object with a string "type"; BATON_E_LIMIT; BATON_E_STATE.
     *  Thread: the calling thread, during the call. */
    int32_t (*reply_attachment_json)(baton_call *call, baton_str json);

    /** Says "I have no answer for this message". Returning BATON_OK without setting
     *  a reply means the same; this makes it explicit and clears nothing.
     *  @return BATON_OK; BATON_E_STATE when a reply was already set or outside respond.
     *  Thread: the calling thread, during the call. */
    int32_t (*no_answer)(baton_call *call);

    /** Sets the detect result. At most once per detect call.
     *  @param call    the detect call.
     *  @param score   in [0, 1]: how much the user needs a human. NaN is refused.
     *  @param reason  short UTF-8 text, up to BATON_LIMIT_REASON_CHARS; may be empty; copied.
     *  @return BATON_OK; BATON_E_INVALID_ARGUMENT when score is outside [0, 1];
     *          BATON_E_INVALID_UTF8; BATON_E_LIMIT; BATON_E_STATE.
     *  Thread: the calling thread, during the call. */
    int32_t (*set_score)(baton_call *call, double score, baton_str reason);

    /** Says why the current call failed. The skill then returns a negative status.
     *  Valid in create, respond and detect.
     *  @param message  UTF-8, truncated to BATON_LIMIT_ERROR_CHARS; copied.
     *  @return BATON_OK; BATON_E_INVALID_UTF8 (the message is then replaced).
     *  Thread: the calling thread, during the call. */
    int32_t (*set_error)(baton_call *call, baton_str message);

    /** Reads one common field of the input without parsing its JSON. Known keys:
     *  "message.mid", "message.text", "message.quick_reply_payload",
     *  "message.postback_title", "message.postback_payload", "conversation.page_id",
     *  "conversation.psid".
     *  @param call  the respond or detect call.
     *  @param key   one of the keys above.
     *  @param out   receives a BORROWED string valid until the call returns.
     *  @return BATON_OK (out set, possibly empty); BATON_E_UNSUPPORTED for an unknown
     *          key or a field the message does not have (out set to empty);
     *          BATON_E_STATE outside respond/detect.
     *  Thread: the calling thread, during the call. */
    int32_t (*input_field)(baton_call *call, baton_str key, baton_str *out);
} baton_host;

/** The descriptor a skill returns from baton_skill_entry_v1. Static: it must stay
 *  valid and unchanged for the life of the process. */
typedef struct baton_skill {
    /** sizeof(baton_skill) as the skill built it; at least the 1.0 size. */
    uint32_t struct_size;
    /** BATON_SKILL_ABI_MAJOR the skill was built against. */
    uint32_t abi_major;
    /** BATON_SKILL_ABI_MINOR the skill was built against. */
    uint32_t abi_minor;
    /** BATON_SKILL_KIND_* bits; at least one. */
    uint32_t kind;
    /** BATON_SKILL_CAP_* bits; unknown bits are ignored. */
    uint64_t capabilities;

    /** Unique name among loaded skills: 1 to 64 of [A-Za-z0-9_.-]; static, NUL-terminated. */
    const char *name;
    /** Free-form version, e.g. "1.2.0"; static, NUL-terminated; not NULL. */
    const char *version;
    /** One line for humans; static, NUL-terminated; may be NULL. */
    const char *description;

    /** Makes an instance from the operator's configuration.
     *  @param host         the host table (the same one the entry received).
     *  @param config_json  a UTF-8 JSON object ("{}" when none was given); borrowed.
     *  @param call         for set_error when refusing.
     *  @return an opaque instance pointer, or NULL to refuse (say why with set_error).
     *          A skill without state returns any non-NULL pointer, e.g. to a static.
     *  Thread: the control thread. */
    void *(*create)(const baton_host *host, baton_str config_json, baton_call *call);

    /** Releases an instance. Never called while respond or detect run on it.
     *  @param instance  what create returned; never NULL.
     *  Thread: the control thread. */
    void (*destroy)(void *instance);

    /** Writes a reply to one user message through the host builders, or none.
     *  May be NULL when kind has no BATON_SKILL_KIND_RESPONDER.
     *  @param instance    from create.
     *  @param call        the call context for the builders.
     *  @param input_json  the input document (see the top of this file); borrowed.
     *  @return BATON_OK (with or without a reply), or a negative status after set_error.
     *  Thread: any worker thread; see the threading rule at the top. */
    int32_t (*respond)(void *instance, baton_call *call, baton_str input_json);

    /** Scores one user message with set_score. Not calling set_score means 0.
     *  May be NULL when kind has no BATON_SKILL_KIND_DETECTOR.
     *  @param instance    from create.
     *  @param call        the call context for the builders.
     *  @param input_json  the input document; borrowed.
     *  @return BATON_OK, or a negative status after set_error.
     *  Thread: any worker thread; see the threading rule at the top. */
    int32_t (*detect)(void *instance, baton_call *call, baton_str input_json);

    /** Called once before the process exits, after every instance was destroyed.
     *  May be NULL.
     *  Thread: the control thread. */
    void (*shutdown)(void);
} baton_skill;

/** The type of the one symbol a skill exports.
 *  @param host  the host table; valid for the life of the process.
 *  @return the skill's static descriptor, or NULL to refuse to load (for example
 *          when host->abi_minor lacks something the skill needs).
 *  Must do no heavy work. Thread: the control thread. */
typedef const baton_skill *(*baton_skill_entry_fn)(const baton_host *host);

/** The entry symbol's name, for dlsym. */
#define BATON_SKILL_ENTRY_SYMBOL "baton_skill_entry_v1"

/** The entry every skill defines (and exports with BATON_SKILL_EXPORT). */
BATON_SKILL_EXPORT const baton_skill *baton_skill_entry_v1(const baton_host *host);

/** Makes a baton_str from a NUL-terminated C string (NULL gives the empty string). */
static inline baton_str baton_str_from_cstr(const char *s) {
    baton_str r;
    size_t n = 0;
    if (s != NULL) {
        while (s[n] != '\0') {
            n++;
        }
    }
    r.ptr = s;
    r.len = n;
    return r;
}

#ifdef __cplusplus
}
#endif

#endif /* BATON_SKILL_H */

//! FrustrationDetector: an example Baton detector written in Rust, with no crates.
//!
//! Scores how frustrated a user sounds, in [0, 1], from three signs:
//! words of a small list ("useless", "ridiculous", "not working"...), SHOUTING in
//! capital letters, and runs of exclamation marks ("!!!"). The reason names the signs.
//!
//! Build:
//!     rustc --edition 2021 --crate-type cdylib -O frustration.rs -o libFrustrationDetector.so
//!
//! The types below mirror include/baton/skill.h (ABI 1.0) field for field. Every function
//! Baton calls is wrapped in `std::panic::catch_unwind`: no panic crosses the boundary.

#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};

// ---------------------------------------------------------------------------------
// Mirrors of baton/skill.h
// ---------------------------------------------------------------------------------

const BATON_SKILL_ABI_MAJOR: u32 = 1;
const BATON_SKILL_ABI_MINOR: u32 = 0;
const BATON_OK: i32 = 0;
const BATON_E_INVALID_ARGUMENT: i32 = -1;
const BATON_E_UNSUPPORTED: i32 = -5;
const BATON_E_INTERNAL: i32 = -100;
const BATON_SKILL_KIND_DETECTOR: u32 = 0x2;
const BATON_SKILL_CAP_THREAD_SAFE: u64 = 0x1;

/// `baton_str`: UTF-8 as pointer + length, not NUL-terminated.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct baton_str {
    ptr: *const c_char,
    len: usize,
}

impl baton_str {
    const EMPTY: baton_str = baton_str { ptr: std::ptr::null(), len: 0 };

    /// Borrows a Rust string for the duration of a call.
    fn from_str(text: &str) -> baton_str {
        baton_str { ptr: text.as_ptr() as *const c_char, len: text.len() }
    }

    /// Reads the bytes as text, repairing invalid UTF-8. Valid only during the call.
    unsafe fn to_string_lossy(&self) -> String {
        if self.ptr.is_null() || self.len == 0 {
            return String::new();
        }
        let bytes = std::slice::from_raw_parts(self.ptr as *const u8, self.len);
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// `baton_call`: opaque, owned by the host.
#[repr(C)]
pub struct baton_call {
    _private: [u8; 0],
}

/// `baton_host`: the table Baton passes in.
#[repr(C)]
pub struct baton_host {
    struct_size: u32,
    abi_major: u32,
    abi_minor: u32,
    reserved: u32,
    log: Option<unsafe extern "C" fn(*const baton_host, i32, baton_str)>,
    reply_text: Option<unsafe extern "C" fn(*mut baton_call, baton_str) -> i32>,
    reply_quick_reply: Option<unsafe extern "C" fn(*mut baton_call, baton_str, baton_str) -> i32>,
    reply_attachment_json: Option<unsafe extern "C" fn(*mut baton_call, baton_str) -> i32>,
    no_answer: Option<unsafe extern "C" fn(*mut baton_call) -> i32>,
    set_score: Option<unsafe extern "C" fn(*mut baton_call, f64, baton_str) -> i32>,
    set_error: Option<unsafe extern "C" fn(*mut baton_call, baton_str) -> i32>,
    input_field: Option<unsafe extern "C" fn(*mut baton_call, baton_str, *mut baton_str) -> i32>,
}

/// `baton_skill`: the descriptor this library returns.
#[repr(C)]
pub struct baton_skill {
    struct_size: u32,
    abi_major: u32,
    abi_minor: u32,
    kind: u32,
    capabilities: u64,
    name: *const c_char,
    version: *const c_char,
    description: *const c_char,
    create: Option<unsafe extern "C" fn(*const baton_host, baton_str, *mut baton_call) -> *mut c_void>,
    destroy: Option<unsafe extern "C" fn(*mut c_void)>,
    respond: Option<unsafe extern "C" fn(*mut c_void, *mut baton_call, baton_str) -> i32>,
    detect: Option<unsafe extern "C" fn(*mut c_void, *mut baton_call, baton_str) -> i32>,
    shutdown: Option<unsafe extern "C" fn()>,
}

/// The descriptor holds raw pointers to static data only, never written: safe to share.
struct StaticSkill(baton_skill);
unsafe impl Sync for StaticSkill {}

static DESCRIPTOR: StaticSkill = StaticSkill(baton_skill {
    struct_size: std::mem::size_of::<baton_skill>() as u32,
    abi_major: BATON_SKILL_ABI_MAJOR,
    abi_minor: BATON_SKILL_ABI_MINOR,
    kind: BATON_SKILL_KIND_DETECTOR,
    capabilities: BATON_SKILL_CAP_THREAD_SAFE,
    name: c"FrustrationDetector".as_ptr(),
    version: c"1.0.0".as_ptr(),
    description: c"Scores frustration from angry words, SHOUTING and runs of '!'.".as_ptr(),
    create: Some(skill_create),
    destroy: Some(skill_destroy),
    respond: None,
    detect: Some(skill_detect),
    shutdown: None,
});

// ---------------------------------------------------------------------------------
// The entry point and the descriptor's functions
// ---------------------------------------------------------------------------------

/// The one exported symbol: checks the host's ABI and returns the static descriptor.
#[no_mangle]
pub extern "C" fn baton_skill_entry_v1(host: *const baton_host) -> *const baton_skill {
    catch_unwind(|| {
        if host.is_null() {
            return std::ptr::null();
        }
        let host = unsafe { &*host };
        if host.abi_major != BATON_SKILL_ABI_MAJOR
            || (host.struct_size as usize) < std::mem::size_of::<baton_host>()
        {
            return std::ptr::null();
        }
        &DESCRIPTOR.0 as *const baton_skill
    })
    .unwrap_or(std::ptr::null())
}

/// One instance: the host table it was created with. Immutable, so thread-safe.
struct Instance {
    host: *const baton_host,
}

unsafe extern "C" fn skill_create(
    host: *const baton_host,
    _config_json: baton_str,
    _call: *mut baton_call,
) -> *mut c_void {
    catch_unwind(|| {
        if host.is_null() {
            return std::ptr::null_mut();
        }
        // The configuration is ignored: this skill has no settings.
        Box::into_raw(Box::new(Instance { host })) as *mut c_void
    })
    .unwrap_or(std::ptr::null_mut())
}

unsafe extern "C" fn skill_destroy(instance: *mut c_void) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        if !instance.is_null() {
            drop(Box::from_raw(instance as *mut Instance));
        }
    }));
}

unsafe extern "C" fn skill_detect(instance: *mut c_void, call: *mut baton_call, _input_json: baton_str) -> i32 {
    let result = catch_unwind(AssertUnwindSafe(|| {
        if instance.is_null() || call.is_null() {
            return BATON_E_INVALID_ARGUMENT;
        }
        let host = &*(*(instance as *const Instance)).host;
        let (input_field, set_score) = match (host.input_field, host.set_score) {
            (Some(input_field), Some(set_score)) => (input_field, set_score),
            _ => return BATON_E_UNSUPPORTED,
        };
        let mut text = baton_str::EMPTY;
        let status = input_field(call, baton_str::from_str("message.text"), &mut text);
        if status != BATON_OK {
            // No text (an attachment, a sticker): nothing to score.
            return set_score(call, 0.0, baton_str::EMPTY);
        }
        let (score, reason) = frustration(&text.to_string_lossy());
        set_score(call, score, baton_str::from_str(&reason))
    }));
    match result {
        Ok(status) => status,
        Err(_) => BATON_E_INTERNAL,
    }
}

// ---------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------

/// Single words that sound frustrated, lowercase.
const WORDS: &[&str] = &[
    "angry", "annoyed", "annoying", "awful", "broken", "disappointed", "frustrated", "frustrating",
    "furious", "garbage", "hate", "horrible", "joke", "pathetic", "ridiculous", "rubbish",
    "scam", "stupid", "terrible", "unacceptable", "useless", "worst", "wtf",
];

/// Phrases of several words, matched on consecutive words.
const PHRASES: &[&[&str]] = &[
    &["not", "working"],
    &["doesn't", "work"],
    &["doesnt", "work"],
    &["still", "waiting"],
    &["waste", "of", "time"],
    &["fed", "up"],
];

/// Returns the frustration score in [0, 1] and the reason.
///
/// Each sign adds to the score: 0.35 per frustrated word or phrase (at most two count),
/// 0.4 for shouting (at least 8 letters, 70% or more of them capitals, or three or more
/// fully capitalised words of 3+ letters), 0.3 for a run of 3+ `!` (0.15 for `!!`).
pub fn frustration(text: &str) -> (f64, String) {
    let mut score = 0.0;
    let mut reasons: Vec<String> = Vec::new();

    let words: Vec<String> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_matches('\'').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    let mut found: Vec<String> = Vec::new();
    for word in &words {
        if WORDS.contains(&word.as_str()) && !found.contains(word) {
            found.push(word.clone());
        }
    }
    for phrase in PHRASES {
        if words.windows(phrase.len()).any(|w| w.iter().zip(phrase.iter()).all(|(a, b)| a == b)) {
            let joined = phrase.join(" ");
            if !found.contains(&joined) {
                found.push(joined);
            }
        }
    }
    if !found.is_empty() {
        score += 0.35 * (found.len().min(2) as f64);
        reasons.push(format!("words: {}", found.join(", ")));
    }

    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = text.chars().filter(|c| c.is_uppercase()).count();
    let shouted_words = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 3 && w.chars().all(|c| c.is_uppercase()))
        .count();
    if (letters >= 8 && capitals * 10 >= letters * 7) || shouted_words >= 3 {
        score += 0.4;
        reasons.push("shouting".to_string());
    }

    let mut longest_run = 0usize;
    let mut run = 0usize;
    for c in text.chars() {
        if c == '!' {
            run += 1;
            longest_run = longest_run.max(run);
        } else {
            run = 0;
        }
    }
    if longest_run >= 3 {
        score += 0.3;
        reasons.push(format!("{} exclamation marks in a row", longest_run));
    } else if longest_run == 2 {
        score += 0.15;
        reasons.push("2 exclamation marks in a row".to_string());
    }

    let score: f64 = if score > 1.0 { 1.0 } else { score };
    let reason = if reasons.is_empty() { "no sign of frustration".to_string() } else { reasons.join("; ") };
    (score, reason)
}

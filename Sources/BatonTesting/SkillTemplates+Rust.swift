extension SkillTemplates {
    /// `build.sh`: one rustc call, no cargo, no crates.
    static func rustBuildScript(name: String) -> String {
        """
        #!/bin/sh
        # Builds lib\(name).so with rustc alone (no cargo, no crates).
        set -e
        cd "$(dirname "$0")"
        rustc --edition 2021 --crate-type cdylib -O --crate-name \(name) src/lib.rs -o lib\(name).so

        """
    }

    /// `src/lib.rs`: the Rust responder, with mirrors of the header's types.
    static func rustSource(name: String) -> String {
        #"""
        //! \#(name): a Baton responder that answers "Hello from \#(name): <text>".
        //! Build: ./build.sh  (rustc --edition 2021 --crate-type cdylib -O)
        //!
        //! The types mirror baton/skill.h (ABI 1.0) field for field. No panic may cross the
        //! boundary: every function Baton calls is wrapped in catch_unwind.

        #![allow(non_camel_case_types)]

        use std::ffi::{c_char, c_void};
        use std::panic::{catch_unwind, AssertUnwindSafe};

        const BATON_SKILL_ABI_MAJOR: u32 = 1;
        const BATON_SKILL_ABI_MINOR: u32 = 0;
        const BATON_OK: i32 = 0;
        const BATON_E_INVALID_ARGUMENT: i32 = -1;
        const BATON_E_INTERNAL: i32 = -100;
        const BATON_SKILL_KIND_RESPONDER: u32 = 0x1;
        const BATON_SKILL_CAP_THREAD_SAFE: u64 = 0x1;
        const BATON_LIMIT_TEXT_CHARS: usize = 2000;

        #[repr(C)]
        #[derive(Clone, Copy)]
        pub struct baton_str {
            ptr: *const c_char,
            len: usize,
        }

        #[repr(C)]
        pub struct baton_call {
            _private: [u8; 0],
        }

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

        /// Static data only, never written: safe to share.
        struct StaticSkill(baton_skill);
        unsafe impl Sync for StaticSkill {}

        static DESCRIPTOR: StaticSkill = StaticSkill(baton_skill {
            struct_size: std::mem::size_of::<baton_skill>() as u32,
            abi_major: BATON_SKILL_ABI_MAJOR,
            abi_minor: BATON_SKILL_ABI_MINOR,
            kind: BATON_SKILL_KIND_RESPONDER,
            capabilities: BATON_SKILL_CAP_THREAD_SAFE,
            name: c"\#(name)".as_ptr(),
            version: c"0.1.0".as_ptr(),
            description: c"Answers Hello from \#(name).".as_ptr(),
            create: Some(skill_create),
            destroy: Some(skill_destroy),
            respond: Some(skill_respond),
            detect: None,
            shutdown: None,
        });

        #[no_mangle]
        pub extern "C" fn baton_skill_entry_v1(host: *const baton_host) -> *const baton_skill {
            let ok = catch_unwind(|| !host.is_null() && unsafe { (*host).abi_major } == BATON_SKILL_ABI_MAJOR);
            if ok.unwrap_or(false) { &DESCRIPTOR.0 } else { std::ptr::null() }
        }

        /// The instance is the host table itself: nothing else to keep.
        unsafe extern "C" fn skill_create(host: *const baton_host, _config: baton_str, _call: *mut baton_call) -> *mut c_void {
            host as *mut c_void
        }

        unsafe extern "C" fn skill_destroy(_instance: *mut c_void) {}

        unsafe extern "C" fn skill_respond(instance: *mut c_void, call: *mut baton_call, _input: baton_str) -> i32 {
            if instance.is_null() || call.is_null() {
                return BATON_E_INVALID_ARGUMENT;
            }
            catch_unwind(AssertUnwindSafe(|| respond(&*(instance as *const baton_host), call))).unwrap_or(BATON_E_INTERNAL)
        }

        unsafe fn respond(host: &baton_host, call: *mut baton_call) -> i32 {
            let (Some(input_field), Some(reply_text), Some(no_answer)) = (host.input_field, host.reply_text, host.no_answer) else {
                return BATON_E_INTERNAL;
            };
            let key = "message.text";
            let mut text = baton_str { ptr: std::ptr::null(), len: 0 };
            let status = input_field(call, baton_str { ptr: key.as_ptr() as *const c_char, len: key.len() }, &mut text);
            if status != BATON_OK || text.ptr.is_null() || text.len == 0 {
                return no_answer(call);
            }
            let bytes = std::slice::from_raw_parts(text.ptr as *const u8, text.len);
            let message = String::from_utf8_lossy(bytes);
            let prefix = "Hello from \#(name): ";
            let room = BATON_LIMIT_TEXT_CHARS - prefix.chars().count();
            let reply: String = prefix.chars().chain(message.chars().take(room)).collect();
            reply_text(call, baton_str { ptr: reply.as_ptr() as *const c_char, len: reply.len() })
        }

        """#
    }
}

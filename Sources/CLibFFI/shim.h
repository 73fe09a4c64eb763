#ifndef BATON_CLIBFFI_SHIM_H
#define BATON_CLIBFFI_SHIM_H
/*
 * libffi (Debian's libffi-dev, pkg-config libffi) for Baton's plain-function skills.
 *
 * libffi's type descriptions are extern globals; Swift should not take the address of an
 * imported global, so each is handed out by a function. Every pointer returned points to
 * libffi's own static data: never freed, valid for the life of the process, any thread.
 */
#include <ffi.h>
#include <stdbool.h>
#include <stddef.h>

/** No value (`void`). */
static inline ffi_type *baton_ffi_type_void(void) { return &ffi_type_void; }
/** The type of C `double`. */
static inline ffi_type *baton_ffi_type_double(void) { return &ffi_type_double; }
/** The type of C `float`. */
static inline ffi_type *baton_ffi_type_float(void) { return &ffi_type_float; }
/** The type of C `int` (32 bits on every platform Baton runs on). */
static inline ffi_type *baton_ffi_type_int(void) { return &ffi_type_sint32; }
/** The type of C `bool` / `_Bool` (one byte). */
static inline ffi_type *baton_ffi_type_bool(void) { return sizeof(bool) == 1 ? &ffi_type_uint8 : &ffi_type_uint32; }
/** The type of any data pointer (`const char *`, `char *`). */
static inline ffi_type *baton_ffi_type_pointer(void) { return &ffi_type_pointer; }
/** The type of C `size_t`. */
static inline ffi_type *baton_ffi_type_size(void) { return sizeof(size_t) == 8 ? &ffi_type_uint64 : &ffi_type_uint32; }

/** The platform's default calling convention (an enum constant Swift sees as a member). */
static inline ffi_abi baton_ffi_default_abi(void) { return FFI_DEFAULT_ABI; }
#endif

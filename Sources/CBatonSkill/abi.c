/* The C target needs one translation unit; compiling the header here also checks that
 * it builds as part of Baton itself. */
#include "baton/skill.h"

/* The ABI version this build of Baton speaks, readable from a debugger or `strings`. */
__attribute__((visibility("hidden"))) const char baton_skill_abi_version[] = "baton-skill-abi 1.0";

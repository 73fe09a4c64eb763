#!/usr/bin/env bash
# Checks the symbols the example skills export.
#
#   scripts/check-skill-exports.sh LIBDIR      (e.g. .build/release)
#
# Each of libEchoSkill.so, libKeywordEscalation.so and libFAQSkill.so must export
# baton_skill_entry_v1, and the C skill (built with -fvisibility=hidden) must export no
# other function. Exits 0 when all hold, 1 with the reasons otherwise.
set -euo pipefail

if [[ $# -ne 1 || ! -d "$1" ]]; then
    echo "usage: $0 LIBDIR" >&2
    exit 2
fi
libdir=$1
entry=baton_skill_entry_v1
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# Prints the names of the functions (T/W symbols) a library defines in its dynamic table.
exported_functions() {
    nm -D --defined-only "$1" | awk '$2 == "T" || $2 == "W" || $2 == "i" { print $3 }' | sed 's/@.*//'
}

for name in EchoSkill KeywordEscalation FAQSkill; do
    lib="$libdir/lib$name.so"
    if [[ ! -f "$lib" ]]; then
        fail "$lib does not exist"
        continue
    fi
    if ! exported_functions "$lib" | grep -qx "$entry"; then
        fail "$lib does not export $entry"
    else
        echo "ok: $lib exports $entry"
    fi
done

echo_lib="$libdir/libEchoSkill.so"
if [[ -f "$echo_lib" ]]; then
    others=$(exported_functions "$echo_lib" | grep -vx -e "$entry" -e _init -e _fini || true)
    if [[ -n "$others" ]]; then
        fail "$echo_lib exports functions besides $entry: $(echo "$others" | tr '\n' ' ')"
    else
        echo "ok: $echo_lib exports no other function"
    fi
fi

if [[ $failures -gt 0 ]]; then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "all export checks passed"

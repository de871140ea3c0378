#!/bin/sh
# tenantq-link-record.sh FILE COMMAND...: the linker launcher tenantq_add_check() puts
# in front of a checked target's link. It runs the link command and, when the link
# succeeded, writes to FILE the directory it ran in, the three environment variables
# that steer the compiler driver's link (LIBRARY_PATH, COMPILER_PATH, GCC_EXEC_PREFIX,
# one line each, empty when unset), then every word of the command, one per line.
# tenantq-link-check.sh reads FILE: what the linker was given, whichever property,
# dependency, variable or earlier launcher put it there. The record is written after
# the output, so a record older than the target is one from an earlier link; a word
# holding a line break, which the record could not keep apart, fails the link, as
# does a record that cannot be written.
set -u
if [ $# -lt 2 ]; then
    echo "usage: tenantq-link-record.sh FILE COMMAND..." >&2
    exit 2
fi
file=$1
shift
nl='
'
for word in "$@" "${LIBRARY_PATH:-}" "${COMPILER_PATH:-}" "${GCC_EXEC_PREFIX:-}"; do
    case $word in
    *"$nl"*)
        echo "tenantq-link-record: error: a word of the link command holds a line break; it cannot be recorded for the link check" >&2
        exit 2 ;;
    esac
done
rm -f "$file"
"$@" || exit $?
if ! { pwd && printf '%s\n' "LIBRARY_PATH=${LIBRARY_PATH:-}" "COMPILER_PATH=${COMPILER_PATH:-}" \
        "GCC_EXEC_PREFIX=${GCC_EXEC_PREFIX:-}" "$@"; } >"$file.tmp" ||
    ! mv "$file.tmp" "$file"; then
    echo "tenantq-link-record: error: cannot write the link record $file" >&2
    exit 2
fi

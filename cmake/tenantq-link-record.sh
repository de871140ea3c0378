#!/bin/sh
# tenantq-link-record.sh FILE COMMAND...: the linker launcher tenantq_add_check() puts
# in front of a checked target's link. It runs the link command and, when the link
# succeeded, writes the directory it ran in and then every word of the command, one per
# line, to FILE. tenantq-link-check.sh reads FILE: what the linker was given, whichever
# property, dependency or variable put it there. The record is written after the
# output, so a record older than the target is one from an earlier link; a record that
# cannot be written fails the link.
set -u
if [ $# -lt 2 ]; then
    echo "usage: tenantq-link-record.sh FILE COMMAND..." >&2
    exit 2
fi
file=$1
shift
rm -f "$file"
"$@" || exit $?
if ! { pwd && printf '%s\n' "$@"; } >"$file.tmp" || ! mv "$file.tmp" "$file"; then
    echo "tenantq-link-record: error: cannot write the link record $file" >&2
    exit 2
fi

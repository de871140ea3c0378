#!/bin/sh
# tenantq-link-record.sh FILE COMMAND...: the linker launcher tenantq_add_check() puts
# in front of a checked target's link. It writes the directory the link runs in and
# then every word of the link command, one per line, to FILE, and runs the command.
# tenantq-link-check.sh reads FILE: what the linker was given, whichever property,
# dependency or variable put it there. A record that cannot be written fails the link,
# so a check never reads a stale one.
set -u
if [ $# -lt 2 ]; then
    echo "usage: tenantq-link-record.sh FILE COMMAND..." >&2
    exit 2
fi
file=$1
shift
if ! { pwd && printf '%s\n' "$@"; } >"$file.tmp" || ! mv "$file.tmp" "$file"; then
    echo "tenantq-link-record: error: cannot write the link record $file" >&2
    exit 2
fi
exec "$@"

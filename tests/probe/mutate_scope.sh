#!/bin/sh
# mutate_scope.sh IN OUT: a copy of the generated kb.tq.c whose kb_chunks_search always
# searches scope value "bot0", whatever scope the caller names: the kind of slip a
# hand-edited or miscompiled client makes. The probe of kb.tqs linked with this copy
# must report the leak (probe.schema.mutant). Fails when the line to change is not
# found exactly once, so the mutant cannot silently equal the original.
set -eu
in=$1 out=$2
awk '
  /^tq_status_t kb_chunks_search\(/ { inside = 1 }
  inside && /const char \*const scope_values\[\] = \{bot\};/ {
    sub(/\{bot\}/, "{\"bot0\"}"); changed++
  }
  inside && /^}/ { inside = 0 }
  { print }
  END { if (changed != 1) { print "mutate_scope: expected one scope array in kb_chunks_search, found " changed + 0 > "/dev/stderr"; exit 1 } }
' "$in" > "$out.tmp"
mv "$out.tmp" "$out"

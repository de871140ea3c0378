#!/bin/sh
# tenantq-link-check.sh: the link-time half of the lint gate. tenantq-check reads what
# the compiler reads; a link can still re-route the symbols the tenant boundary rests
# on without any source saying so. For one linked target this checks, with nm:
#   - every object of the target that is not generated code, and every object, archive
#     or shared library it links by path (other than libtenantq itself): none may
#     reference a raw-layer symbol (tq_raw_*) or define a runtime symbol (tq_*);
#   - the link options: none may be --defsym, --wrap, a linker script (-T, --script),
#     --allow-multiple-definition or -z muldefs, in any spelling (-Wl,..., LINKER:...).
#
#   tenantq-link-check.sh TARGET OBJECT_DIR SOURCE_DIR BINARY_DIR --generated FILE...
#       --runtime FILE... --objects FILE... --libraries ENTRY... --options OPTION...
#
# OBJECT_DIR is the target's object directory (CMakeFiles/TARGET.dir). A generated
# source at SOURCE_DIR/REL or BINARY_DIR/REL compiles to OBJECT_DIR/REL.o (CMake's
# naming): those objects alone may call the raw layer. A library ENTRY that
# is the runtime (the same file as a --runtime FILE) is trusted; one that starts with
# '-' is a link option; one that is not an existing file (a target or system library
# name) is not read: give a library target of the project its own tenantq_add_check.
# Prints one line per finding; exit 0 clean, 1 findings, 2 when something could not be
# read (fail closed).
set -u
prog=tenantq-link-check
usage() {
    echo "usage: $prog TARGET OBJECT_DIR --generated REL... --objects FILE..." \
         "--libraries ENTRY... --options OPTION..." >&2
    exit 2
}
[ $# -ge 4 ] || usage
target=$1
objdir=$(echo "$2" | sed -e 's|/\./|/|g' -e 's|//*|/|g')
srcdir=$3
bindir=$4
shift 4
command -v nm >/dev/null 2>&1 || { echo "$prog: error: nm not found (binutils); nothing was checked" >&2; exit 2; }

findings=0
problems=0
generated=""
runtime=""
finding() {
    echo "$prog: error: $target: $*"
    findings=$((findings + 1))
}
problem() {
    echo "$prog: error: $target: $*" >&2
    problems=$((problems + 1))
}

# Lists are newline-separated, so paths may hold spaces.
nl='
'
# CMake may spell an object's path with "/./" in it.
normal() {
    echo "$1" | sed -e 's|/\./|/|g' -e 's|//*|/|g'
}

is_generated() {
    obj=$(normal "$1")
    old_ifs=$IFS
    IFS=$nl
    for abs in $generated; do
        for base in "$bindir" "$srcdir"; do
            case $abs in
            "$base"/*)
                rel=${abs#"$base"/}
                if [ "$obj" = "$objdir/$rel.o" ] || [ "$obj" = "$objdir/$rel.obj" ]; then
                    IFS=$old_ifs
                    return 0
                fi ;;
            esac
        done
    done
    IFS=$old_ifs
    return 1
}

# nm's POSIX output of FILE (dynamic symbols too for a shared library), or a problem.
symbols() {
    case $1 in
    *.so | *.so.*) nm -P -D "$1" 2>/dev/null ;;
    *) nm -P "$1" 2>/dev/null ;;
    esac
}

check_file() {
    file=$1
    what=$2
    if [ ! -r "$file" ]; then
        problem "cannot read $what $file"
        return
    fi
    out=$(symbols "$file") || { problem "nm cannot read $what $file"; return; }
    # "NAME TYPE [VALUE SIZE]"; archives add "member:" lines. Symbol versions (@...)
    # are cut off before matching.
    echo "$out" | awk -v file="$file" -v what="$what" '
        function add(list, name) { return index(" " list ", ", " " name ",") ? list : (list == "" ? name : list ", " name) }
        NF >= 2 && $1 !~ /:$/ {
            name = $1; sub(/@.*/, "", name); type = $2
            if (name ~ /^tq_raw_/ && (type == "U" || type == "w"))
                raw = add(raw, name)
            else if (name ~ /^tq_/ && type != "U" && type != "w" && type != "v")
                defs = add(defs, name)
        }
        END {
            if (raw != "")
                printf "%s %s references the raw layer (%s); only generated code may call it\n", what, file, raw
            if (defs != "")
                printf "%s %s defines %s, symbols of libtenantq: they would replace the runtime'"'"'s own\n", what, file, defs
        }' >"$tmp"
    while IFS= read -r line; do
        finding "$line"
    done <"$tmp"
}

check_option() {
    opt=$1
    # -Wl,a,b and LINKER:a,b carry several linker arguments; look at each.
    case $opt in
    -Wl,*) args=$(echo "${opt#-Wl,}" | tr ',' ' ') ;;
    LINKER:*) args=$(echo "${opt#LINKER:}" | tr ',' ' ') ;;
    -Xlinker) return ;;
    *) args=$opt ;;
    esac
    for a in $args; do
        case $a in
        --defsym | --defsym=* | -defsym | -defsym=* | --wrap | --wrap=* | -wrap | -wrap=* | \
        -T | -T* | --script | --script=* | --allow-multiple-definition | muldefs | -z*muldefs)
            finding "link option '$opt' can re-route symbols the tenant boundary depends on (--defsym, --wrap, linker scripts and multiple definitions are refused)"
            return ;;
        esac
    done
}

tmp=$(mktemp) || exit 2
trap 'rm -f "$tmp"' EXIT
mode=""
for arg in "$@"; do
    [ -n "$arg" ] || continue
    case $arg in
    --generated | --runtime | --objects | --libraries | --options) mode=$arg; continue ;;
    esac
    case $mode in
    --generated) generated="$generated$nl$arg" ;;
    --objects)
        if is_generated "$arg"; then continue; fi
        check_file "$arg" object ;;
    --runtime) runtime="$runtime$nl$(readlink -f "$arg" 2>/dev/null || echo "$arg")$nl" ;;
    --libraries)
        case $arg in
        -*) check_option "$arg"; continue ;;
        esac
        [ -f "$arg" ] || continue
        real=$(readlink -f "$arg" 2>/dev/null || echo "$arg")
        case $runtime in *"$nl$real$nl"*) continue ;; esac
        check_file "$arg" library ;;
    --options) check_option "$arg" ;;
    *) usage ;;
    esac
done

if [ "$problems" -gt 0 ]; then
    echo "$prog: error: $target: $problems problem(s) kept parts of the link from being checked" >&2
    exit 2
fi
[ "$findings" -eq 0 ] || { echo "$prog: $target: $findings finding(s)"; exit 1; }
exit 0

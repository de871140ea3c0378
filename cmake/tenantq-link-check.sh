#!/bin/sh
# tenantq-link-check.sh: the link-time half of the lint gate. tenantq-check reads what
# the compiler reads; a link can still re-route the symbols the tenant boundary rests
# on without any source saying so. For one linked target this checks, with nm:
#   - every object of the target that is not generated code, and every object, archive
#     or shared library it links by path (other than libtenantq itself): none may
#     reference a raw-layer symbol (tq_raw_*) or define a runtime symbol (tq_*);
#   - the link options: none may be --defsym, --wrap, a linker script (-T, --script),
#     --allow-multiple-definition or -z muldefs, in any spelling (-Wl,..., LINKER:...);
#   - with --link-line, the link command as tenantq-link-record.sh recorded it: the same
#     rules for every option, object, archive and library on it, and for each bare
#     library name (-lfoo, -l:file) the files it can name in the link's -L directories
#     (a name found in none of them comes from the system's directories and is not read).
#
#   tenantq-link-check.sh TARGET OBJECT_DIR SOURCE_DIR BINARY_DIR --generated FILE...
#       --runtime FILE... --objects FILE... --libraries ENTRY... --options OPTION...
#       [--link-line FILE]
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
seen=""
link_line=""
options=""
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

# 0 when FILE is libtenantq itself (the same file as a --runtime FILE).
is_runtime() {
    real=$(readlink -f "$1" 2>/dev/null || echo "$1")
    case $runtime in *"$nl$real$nl"*) return 0 ;; esac
    return 1
}

check_file() {
    file=$1
    what=$2
    if [ ! -r "$file" ]; then
        problem "cannot read $what $file"
        return
    fi
    # Each file once, however many ways it reached the link.
    real=$(readlink -f "$file" 2>/dev/null || echo "$file")
    case $seen in *"$nl$real$nl"*) return ;; esac
    seen="$seen$nl$real$nl"
    case $(head -c 4 "$file" | od -An -c | tr -d ' \n') in
    177ELF* | '!<ar'*) ;;
    *) check_script "$file" "$what"; return ;;
    esac
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

# A linked file that is neither ELF nor an archive: a linker script, as some system
# libraries are (libm.so: GROUP ( /lib/.../libm.so.6 ... )). One that only lists
# inputs (GROUP, INPUT, AS_NEEDED, OUTPUT_FORMAT, SEARCH_DIR) passes and each absolute
# path it names is checked; one that assigns or places symbols is a finding.
check_script() {
    if grep -q -e '=' -e 'PROVIDE' -e 'SECTIONS' -e 'INSERT' -e 'EXTERN' "$1"; then
        finding "$2 $1 is a linker script that defines or places symbols; only scripts listing inputs (GROUP, INPUT, AS_NEEDED) may be linked"
        return
    fi
    for p in $(tr '() \t' '\n\n\n\n' <"$1" | grep '^/'); do
        check_file "$p" library
    done
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

# Calls FUNCTION with each line of LIST (newline-separated), under the caller's IFS.
each_line() {
    el_ifs=$IFS
    IFS=$nl
    set -f
    for el_item in $1; do
        IFS=$el_ifs
        "$2" "$el_item"
        IFS=$nl
    done
    set +f
    IFS=$el_ifs
}

# PATH as seen from directory DIR.
from_dir() {
    case $2 in
    /*) normal "$2" ;;
    *) normal "$1/$2" ;;
    esac
}

# The files `-lNAME` can name in the link's -L directories (LDIRS, newline-separated):
# libNAME.so and libNAME.a (both, whichever -Bstatic would pick), or NAME itself for
# -l:NAME, in the first directory that holds one.
check_library_name() {
    name=$1
    case $name in
    :*) candidates=${name#:} ;;
    *) candidates="lib$name.so${nl}lib$name.a" ;;
    esac
    old_ifs=$IFS
    IFS=$nl
    for d in $ldirs; do
        found=""
        for c in $candidates; do
            [ -e "$d/$c" ] && found="$found$nl$d/$c"
        done
        [ -n "$found" ] || continue
        for f in $found; do
            IFS=$old_ifs
            is_runtime "$f" || check_file "$f" library
            IFS=$nl
        done
        break
    done
    IFS=$old_ifs
}

# The recorded link command: the directory the link ran in, then one word per line,
# the linker driver first. Every option goes through check_option, every input file
# through check_file (the target's generated objects and libtenantq excepted), every
# -lNAME through check_library_name once the -L directories are known. A response
# file (@FILE) is not read: refused, so nothing passes unread.
check_link_line() {
    record=$1
    if [ ! -r "$record" ]; then
        problem "the link command was not recorded ($record): build the target first, with CMake 3.21 or later and a Ninja or Makefile generator (tenantq-link-record.sh is its linker launcher)"
        return
    fi
    dir=$(sed -n 1p "$record")
    ldirs=""
    names=""
    next=""
    sed -n '3,$p' "$record" >"$tmp.words"
    while IFS= read -r w; do
        case $next in
        skip) next=""; continue ;;
        option) next=""; check_option "$flag $w"; continue ;;
        ldir) next=""; ldirs="$ldirs$nl$(from_dir "$dir" "$w")"; continue ;;
        lname) next=""; names="$names$nl$w"; continue ;;
        esac
        case $w in
        -o | -MF | -MT | -MQ) next=skip ;;
        -Xlinker | -z | -T) next=option; flag=$w ;;
        -L) next=ldir ;;
        -L*) ldirs="$ldirs$nl$(from_dir "$dir" "${w#-L}")" ;;
        -l) next=lname ;;
        -l*) names="$names$nl${w#-l}" ;;
        @*) problem "the link command reads a response file ($w), which is not checked" ;;
        -*) check_option "$w" ;;
        *)
            path=$(from_dir "$dir" "$w")
            case $path in
            *.o | *.obj) is_generated "$path" || check_file "$path" object ;;
            *) is_runtime "$path" || check_file "$path" "linked file" ;;
            esac ;;
        esac
    done <"$tmp.words"
    each_line "$names" check_library_name
}

tmp=$(mktemp) || exit 2
trap 'rm -f "$tmp" "$tmp.words"' EXIT
mode=""
for arg in "$@"; do
    [ -n "$arg" ] || continue
    case $arg in
    --generated | --runtime | --objects | --libraries | --options | --link-line)
        mode=$arg
        continue ;;
    esac
    case $mode in
    --generated) generated="$generated$nl$arg" ;;
    --objects)
        if is_generated "$arg"; then continue; fi
        check_file "$arg" object ;;
    --runtime) runtime="$runtime$nl$(readlink -f "$arg" 2>/dev/null || echo "$arg")$nl" ;;
    --libraries)
        case $arg in
        -*) options="$options$nl$arg"; continue ;;
        esac
        [ -f "$arg" ] || continue
        is_runtime "$arg" && continue
        check_file "$arg" library ;;
    --options) options="$options$nl$arg" ;;
    --link-line) link_line=$arg ;;
    *) usage ;;
    esac
done
# The recorded link command holds every option the properties give, and more; without
# one, the properties are what there is.
if [ -n "$link_line" ]; then
    check_link_line "$link_line"
else
    each_line "$options" check_option
fi

if [ "$problems" -gt 0 ]; then
    echo "$prog: error: $target: $problems problem(s) kept parts of the link from being checked" >&2
    exit 2
fi
[ "$findings" -eq 0 ] || { echo "$prog: $target: $findings finding(s)"; exit 1; }
exit 0

#!/bin/sh
# tenantq-link-check.sh: the link-time half of the lint gate. tenantq-check reads what
# the compiler reads; a link can still re-route the symbols the tenant boundary rests
# on without any source saying so. For one linked target this checks, with nm:
#   - every object of the target that is not generated code, and every object, archive
#     or shared library it links by path (other than libtenantq itself): none may
#     reference a raw-layer symbol (tq_raw_*) or define a runtime symbol (tq_*);
#   - the link options: none may be --defsym, --wrap, a linker script (-T, --script),
#     --allow-multiple-definition or -z muldefs, in any spelling (-Wl,..., LINKER:...);
#   - with --link-line, the link command as tenantq-link-record.sh recorded it, which
#     then stands for the options above: the same rules for every option, also inside
#     -Wl,... and after -Xlinker, abbreviated or spelled with one dash; every object,
#     archive and library on it; for each bare library name (-lfoo, -l:file) the files
#     it can name in the link's -L directories (a name found in none of them comes from
#     the system's directories and is not read); linker scripts among them, which may
#     only list inputs; driver options that swap the linker or feed it (-specs, -B,
#     --ld-path, -fuse-ld=PATH, -wrapper) and environment variables that swap the
#     linker (COMPILER_PATH, GCC_EXEC_PREFIX); LIBRARY_PATH's directories searched; a
#     response file (@file) is a problem. --project-files are other targets' outputs
#     and are not read. A record older than --target-file is an earlier link's: a
#     problem.
#
#   tenantq-link-check.sh TARGET OBJECT_DIR SOURCE_DIR BINARY_DIR --generated FILE...
#       --runtime FILE... --objects FILE... --libraries ENTRY... --options OPTION...
#       [--link-line FILE] [--project-files FILE...] [--target-file FILE]
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
objdir=$(printf '%s\n' "$2" | sed -e 's|/\./|/|g' -e 's|//*|/|g')
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
project_files=""
target_file=""
dir=""
ldirs=""
# printf, never echo: a word may hold a backslash, which dash's echo interprets.
finding() {
    printf '%s\n' "$prog: error: $target: $*"
    findings=$((findings + 1))
}
problem() {
    printf '%s\n' "$prog: error: $target: $*" >&2
    problems=$((problems + 1))
}

# Lists are newline-separated, so paths may hold spaces.
nl='
'
# CMake may spell an object's path with "/./" in it.
normal() {
    printf '%s\n' "$1" | sed -e 's|/\./|/|g' -e 's|//*|/|g'
}

# Paths are compared as the file system resolves them: a build directory reached
# through a symbolic link is spelled one way by CMake and another by the link.
canonical() {
    readlink -f "$1" 2>/dev/null || normal "$1"
}

is_generated() {
    obj=$(canonical "$1")
    old_ifs=$IFS
    IFS=$nl
    for abs in $generated; do
        for base in "$bindir" "$srcdir"; do
            case $abs in
            "$base"/*)
                rel=${abs#"$base"/}
                if [ "$obj" = "$objdir_real/$rel.o" ] || [ "$obj" = "$objdir_real/$rel.obj" ]; then
                    IFS=$old_ifs
                    return 0
                fi ;;
            esac
        done
    done
    IFS=$old_ifs
    return 1
}

# nm's POSIX output of FILE: the dynamic symbols of a shared object (ELF type 3,
# whatever its name), the symbols of anything else; a failure is a problem.
symbols() {
    if [ "$2" = elf ] && [ "$(od -An -tu2 -j16 -N2 "$1" | tr -d ' ')" = 3 ]; then
        nm -P -D "$1" 2>/dev/null
    else
        nm -P "$1" 2>/dev/null
    fi
}

# What FILE is, by its first bytes: elf, archive (thin ones too), bitcode (read by
# nm's plugin), text (a linker script) or unknown.
kind_of() {
    magic=$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')
    case $magic in
    7f454c46) echo elf ;;
    213c6172 | 213c7468) echo archive ;;
    4243c0de | dec0170b) echo bitcode ;;
    *)
        if [ -z "$(head -c 4096 "$1" | tr -d '[:print:][:space:]')" ]; then
            echo text
        else
            echo unknown
        fi ;;
    esac
}

# 0 when FILE is libtenantq itself (the same file as a --runtime FILE).
is_runtime() {
    real=$(readlink -f "$1" 2>/dev/null || printf '%s\n' "$1")
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
    real=$(readlink -f "$file" 2>/dev/null || printf '%s\n' "$file")
    case $seen in *"$nl$real$nl"*) return ;; esac
    seen="$seen$nl$real$nl"
    kind=$(kind_of "$file")
    case $kind in
    text) check_script "$file" "$what"; return ;;
    unknown) problem "cannot tell what $what $file is (not ELF, an archive, bitcode or a linker script)"; return ;;
    esac
    out=$(symbols "$file" "$kind") || { problem "nm cannot read $what $file"; return; }
    # "NAME TYPE [VALUE SIZE]"; archives add "member:" lines. Symbol versions (@...)
    # are cut off before matching.
    printf '%s\n' "$out" | awk -v file="$file" -v what="$what" '
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

# A linked file that is text: a linker script, as some system libraries are (Debian's
# libm.so: GROUP ( /lib/.../libm.so.6 AS_NEEDED ( ... ) )). One that only lists inputs
# passes, and every input it names is checked: an absolute path, a name found in the
# link's directory or its -L directories, -lNAME as on the command line. Any other
# command (INCLUDE, SEARCH_DIR, PROVIDE, SECTIONS, an assignment...) is a finding: it
# could bring in or re-route what nobody reads.
check_script() {
    script=$1
    body=$(tr '\n' ' ' <"$script" | sed -e 's|/\*[^*]*\*\+\([^/*][^*]*\*\+\)*/| |g' \
        -e 's/\(OUTPUT_FORMAT\|OUTPUT_ARCH\|TARGET\) *([^)]*)/ /g')
    other=$(printf '%s\n' "$body" | tr '()' '  ' | tr -s ' \t' '\n\n' |
        grep -E '^[A-Z_]{2,}$|=|;' | grep -v -x -e GROUP -e INPUT -e AS_NEEDED | head -1)
    if [ -n "$other" ]; then
        finding "$2 $script is a linker script that does more than list inputs ($other); only GROUP, INPUT and AS_NEEDED may be linked"
        return
    fi
    # Every input resolved first, then read: reading one may be another script, whose
    # own names must not change how this one's are resolved.
    script_dirs="$dir$nl$(dirname "$script")$ldirs"
    inputs=""
    set -f
    for w in $(printf '%s\n' "$body" | tr '()' '  '); do
        case $w in
        GROUP | INPUT | AS_NEEDED) ;;
        -l*) inputs="$inputs${nl}l:${w#-l}" ;;
        /*) inputs="$inputs${nl}f:$w" ;;
        *)
            # Every place ld may take it from (the link's directory, the script's, the
            # -L directories; which one wins has changed between versions).
            found=$(find_in "$w" "$script_dirs")
            if [ -n "$found" ]; then
                inputs="$inputs$nl$(printf '%s\n' "$found" | sed 's/^/f:/')"
            else
                problem "cannot find $w, named by the linker script $script"
            fi ;;
        esac
    done
    set +f
    each_line "$inputs" script_input
}

# Each DIR (newline-separated DIRS) holding NAME, as DIR/NAME, one per line.
find_in() {
    fi_ifs=$IFS
    IFS=$nl
    set -f
    for fi_dir in $2; do
        if [ -n "$fi_dir" ] && [ -f "$fi_dir/$1" ]; then
            printf '%s\n' "$fi_dir/$1"
        fi
    done
    set +f
    IFS=$fi_ifs
}

# One input a linker script names: f:FILE or l:NAME.
script_input() {
    case $1 in
    f:*) check_file "${1#f:}" library ;;
    l:*) check_library_name "${1#l:}" ;;
    esac
}

# 0 when one linker word is an option that can re-route symbols: --defsym, --wrap, a
# linker script (-T, --script, -dT, --default-script, -c, --mri-script), symbols taken
# from a file (--just-symbols), multiple definitions allowed, or a plugin that can add
# inputs. GNU ld takes any unambiguous abbreviation of a long option, with one dash or
# two, so a word that is a prefix of two letters or more of one of those names counts
# too. -Ttext=, -Tdata=, -Tbss= and the -T*-segment= options only place sections.
forbidden() {
    case $1 in
    -Ttext=* | -Tdata=* | -Tbss=* | -Ttext-segment=* | -Trodata-segment=* | \
    -Tldata-segment=*) return 1 ;;
    -T* | -dT* | -c | muldefs | -z*muldefs) return 0 ;;
    --* | -?*) ;;
    *) return 1 ;;
    esac
    name=${1#-}
    name=${name#-}
    name=${name%%=*}
    for long in defsym wrap script default-script mri-script just-symbols \
                allow-multiple-definition plugin; do
        [ "$name" = "$long" ] && return 0
        if [ ${#name} -ge 2 ]; then
            case $long in "$name"*) return 0 ;; esac
        fi
    done
    return 1
}

check_option() {
    opt=$1
    # -Wl,a,b and LINKER:a,b carry several linker arguments; look at each.
    case $opt in
    -Wl,*) args=$(printf '%s\n' "${opt#-Wl,}" | tr ',' ' ') ;;
    LINKER:*) args=$(printf '%s\n' "${opt#LINKER:}" | tr ',' ' ') ;;
    -Xlinker) return ;;
    *) args=$opt ;;
    esac
    for a in $args; do
        if forbidden "$a"; then
            refuse_option "$opt"
            return
        fi
    done
}

refuse_option() {
    finding "link option '$1' can re-route symbols the tenant boundary depends on (--defsym, --wrap, linker scripts, symbols from a file and multiple definitions are refused)"
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

# One word the linker gets: from inside -Wl,A,B, after -Xlinker, or passed on by the
# driver as it was. `next` says what the previous word expects. ORIGIN is the word as
# written, for the message.
linker_word() {
    w=$1
    origin=$2
    case $next in
    skip)
        next=""
        # An argument ld takes whatever it looks like; one that reads as a refused
        # option is refused all the same.
        forbidden "$w" && refuse_option "$origin"
        return ;;
    ldir) next=""; add_ldir "$w" "$origin"; return ;;
    lname) next=""; names="$names$nl$w"; return ;;
    zflag | rflag)
        # The option and its argument, as written: one word (-Wl,-z,muldefs) or two.
        [ "$origin" = "$flag_origin" ] || origin="$flag_origin $w"
        if [ "$next" = zflag ]; then
            forbidden "$w" && refuse_option "$origin"
        elif [ -f "$(from_dir "$dir" "$w")" ]; then
            # -R FILE takes symbols from FILE (--just-symbols); -R DIR is an rpath.
            refuse_option "$origin"
        fi
        next=""
        return ;;
    esac
    case $w in
    @*) problem "the link command reads a response file ($origin), which is not checked"; return ;;
    esac
    if forbidden "$w"; then
        refuse_option "$origin"
        case $w in -T | -dT | -c | -plugin | --plugin) next=skip ;; esac
        return
    fi
    case $w in
    # ld's options that take the next word as their argument.
    -a | -A | -b | -e | -f | -F | -G | -h | -I | -m | -o | -O | -P | -u | -y | -Y | \
    --architecture | --format | --auxiliary | --filter | --gpsize | -soname | --soname | \
    --dynamic-linker | --entry | --output | --undefined | --trace-symbol | -Map | --Map | \
    -rpath | --rpath | -rpath-link | --rpath-link | --version-script | --dynamic-list | \
    --retain-symbols-file | --dependency-file | -plugin-opt | --plugin-opt | \
    --exclude-libs | --image-base | --out-implib | --audit | --depaudit | \
    --error-handling-script | --package-metadata | --task-link)
        next=skip ;;
    -z) next=zflag; flag_origin=$origin ;;
    -R) next=rflag; flag_origin=$origin ;;
    -L | --library-path) next=ldir ;;
    -L*) add_ldir "${w#-L}" "$origin" ;;
    --library-path=*) add_ldir "${w#*=}" "$origin" ;;
    -l | --library) next=lname ;;
    -l*) names="$names$nl${w#-l}" ;;
    --library=*) names="$names$nl${w#*=}" ;;
    -R*) [ -f "$(from_dir "$dir" "${w#-R}")" ] && refuse_option "$origin" ;;
    -*) ;;
    *)
        # An input, unless the word was an option's argument: the link succeeded, so
        # a word that names no file was not one.
        path=$(from_dir "$dir" "$w")
        [ -f "$path" ] || return
        check_input "$path" ;;
    esac
}

# A -L directory; one relative to the sysroot (-L=DIR, -L$SYSROOT/DIR) is not resolved
# here, so it is a problem.
add_ldir() {
    case $1 in
    =* | '$SYSROOT'*) problem "the link searches a directory relative to the sysroot ($2), which is not checked"; return ;;
    esac
    ldirs="$ldirs$nl$(from_dir "$dir" "$1")"
}

# An input file of the link: the target's generated objects, libtenantq and the files
# the project's other targets built (--project-files: give those targets their own
# tenantq_add_check) are not read.
check_input() {
    real_input=$(canonical "$1")
    case $real_input in
    "$objdir_real"/*) is_generated "$1" || check_file "$1" object; return ;;
    esac
    case $project_files in *"$nl$real_input$nl"*) return ;; esac
    is_runtime "$1" || check_file "$1" "linked file"
}

# One word of a -Wl,A,B option (wl_origin).
wl_word() {
    linker_word "$1" "$wl_origin"
}

# A word the compiler driver gets, as the record holds it. Words it hands to the linker
# go to linker_word; its own options are passed over, with their arguments (dskip).
driver_word() {
    w=$1
    if [ "$dskip" = 1 ]; then
        dskip=0
        return
    fi
    if [ "$dpass" = 1 ]; then
        dpass=0
        linker_word "$w" "$w"
        return
    fi
    case $w in
    -Xlinker) xl=1 ;;
    -Wl,*)
        wl_origin=$w
        each_line "$(printf '%s\n' "${w#-Wl,}" | tr ',' '\n')" wl_word ;;
    # The driver hands these, and the word after them, to the linker.
    -L | -l | -T | -z | -u | -e | -o) linker_word "$w" "$w"; dpass=1 ;;
    # Options of the driver's own that take the next word.
    -x | -MF | -MT | -MQ | -include | -imacros | -isystem | -iquote | -idirafter | -I | \
    -D | -U | --param | -Xassembler | -Xpreprocessor | -aux-info | -A)
        dskip=1 ;;
    -specs | --specs | -B | --ld-path | -wrapper | --wrapper)
        refuse_driver "$w"
        dskip=1 ;;
    -specs=* | --specs=* | -B* | --ld-path=* | -fuse-ld=*/*)
        refuse_driver "$w" ;;
    @*) problem "the link command reads a response file ($w), which is not checked" ;;
    # Passed to the linker as they are.
    -L* | -l* | -T* | -z* | -u* | -e* | -static | -shared | -rdynamic | -s | -r | \
    -nostdlib | -nodefaultlibs | -nostartfiles | -pie | -no-pie | -static-pie)
        linker_word "$w" "$w" ;;
    -*) ;;
    *) linker_word "$w" "$w" ;;
    esac
}

refuse_driver() {
    finding "driver option '$1' can change the linker or what it is given; it is refused"
}

# The recorded link command (tenantq-link-record.sh): the directory the link ran in,
# the three environment variables that steer the driver, then one word per line, the
# driver first. LIBRARY_PATH adds search directories after the -L ones; COMPILER_PATH
# and GCC_EXEC_PREFIX can swap the linker itself and are refused. Every word goes
# through driver_word; the -lNAME names once the directories are all known.
check_link_line() {
    record=$1
    if [ ! -r "$record" ]; then
        problem "the link command was not recorded ($record): build the target first, with CMake 3.21 or later and a Ninja or Makefile generator (tenantq-link-record.sh is its linker launcher)"
        return
    fi
    if [ -n "$target_file" ] && [ "$target_file" -nt "$record" ]; then
        problem "the link command recorded in $record is older than $target_file: it is an earlier link's; relink the target"
        return
    fi
    dir=$(sed -n 1p "$record")
    library_path=$(sed -n 2p "$record")
    for steer in "$(sed -n 3p "$record")" "$(sed -n 4p "$record")"; do
        case $steer in
        *=) ;;
        *) finding "the link ran with $steer set, which can change the linker; it is refused" ;;
        esac
    done
    case $library_path in
    LIBRARY_PATH=*) ;;
    *) problem "$record is not a link record of this version (no LIBRARY_PATH line)"; return ;;
    esac
    ldirs=""
    names=""
    next=""
    xl=0
    dskip=0
    dpass=0
    sed -n '6,$p' "$record" >"$tmp.words"
    while IFS= read -r word; do
        if [ "$xl" = 1 ]; then
            xl=0
            linker_word "$word" "-Xlinker $word"
        else
            driver_word "$word"
        fi
    done <"$tmp.words"
    # The driver turns LIBRARY_PATH into -L options after the command line's own.
    old_ifs=$IFS
    IFS=:
    set -f
    for d in ${library_path#LIBRARY_PATH=}; do
        [ -z "$d" ] || ldirs="$ldirs$nl$(from_dir "$dir" "$d")"
    done
    set +f
    IFS=$old_ifs
    each_line "$names" check_library_name
}

tmp=$(mktemp) || exit 2
objdir_real=$(canonical "$objdir")
trap 'rm -f "$tmp" "$tmp.words"' EXIT
mode=""
for arg in "$@"; do
    [ -n "$arg" ] || continue
    case $arg in
    --generated | --runtime | --objects | --libraries | --options | --link-line | \
    --project-files | --target-file)
        mode=$arg
        continue ;;
    esac
    case $mode in
    --generated) generated="$generated$nl$arg" ;;
    --objects)
        if is_generated "$arg"; then continue; fi
        check_file "$arg" object ;;
    --runtime) runtime="$runtime$nl$(readlink -f "$arg" 2>/dev/null || printf '%s\n' "$arg")$nl" ;;
    --libraries)
        case $arg in
        -*) options="$options$nl$arg"; continue ;;
        esac
        [ -f "$arg" ] || continue
        is_runtime "$arg" && continue
        check_file "$arg" library ;;
    --options) options="$options$nl$arg" ;;
    --link-line) link_line=$arg ;;
    --project-files) project_files="$project_files$nl$(canonical "$arg")$nl" ;;
    --target-file) target_file=$arg ;;
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

/* internal.h: the functions the parts of tenantq-check call on one another, grouped by
 * the file that defines them. Kept in one small header so each .c file stays short;
 * libclang-facing declarations live in analyze.h instead. */
#ifndef TQC_INTERNAL_H
#define TQC_INTERNAL_H

#include "check.h"

#include <stdarg.h>
#include <stdio.h>

/* Size limits for everything read from disk. */
#define TQC_MAX_SOURCE_BYTES (64u * 1024u * 1024u)
#define TQC_MAX_JSON_BYTES (512u * 1024u * 1024u)

/* findings.c ------------------------------------------------------------------------ */

/* Grows *items (of `elem` bytes each) so it holds at least `need`; 0 or -1 on OOM. */
int tqc_grow(void **items, size_t *cap, size_t need, size_t elem);

/* Records a finding unless one with the same rule and start position exists. Takes the
 * session lock (recursive, so callers holding it may call). */
void tqc_finding_add(tqc_session_t *s, tqc_rule_t rule, const tqc_file_t *file,
                     unsigned line, unsigned column, unsigned end_line, unsigned end_column,
                     const char *fmt, ...) __attribute__((format(printf, 8, 9)));

/* Records why something could not be analysed and prints it to stderr; any such error
 * makes the exit status 2. */
void tqc_session_error(tqc_session_t *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Sorts findings by path, line, column and rule. */
void tqc_findings_sort(tqc_session_t *s);

/* Counts findings that make the run fail: unsuppressed, not in the baseline, and errors
 * (warnings too when werror is set). */
size_t tqc_findings_failing(const tqc_session_t *s);

/* Returns a malloc'd formatted string, or NULL on OOM. */
char *tqc_vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
char *tqc_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* files.c --------------------------------------------------------------------------- */

/* The file entry for `path` as libclang names it, registering and classifying it on
 * first sight (reads it, checks the banner and manifests, scans suppressions). NULL
 * only when out of memory. */
tqc_file_t *tqc_file_get(tqc_session_t *s, const char *path);

/* Line `line` (1-based) of `file` without its end-of-line; NULL when out of range. */
const char *tqc_file_line(const tqc_file_t *file, unsigned line, size_t *len);

/* Reads a whole file of at most `limit` bytes into a NUL-terminated buffer. Returns 0,
 * -1 when it cannot be read, -2 when it is larger than `limit`. */
int tqc_read_file(const char *path, size_t limit, char **data, size_t *size);

/* Reads and parses a JSON file of at most TQC_MAX_JSON_BYTES; `what` names it in the
 * session error recorded on failure (then NULL). Free with cJSON_Delete. */
struct cJSON;
struct cJSON *tqc_read_json(tqc_session_t *s, const char *path, const char *what);

void tqc_session_free(tqc_session_t *s);

/* runtime_digests.c (generated) ---------------------------------------------------- */
typedef struct tqc_trusted_file {
    const char *path;   /* relative to runtime/: "include/tenantq/raw.h", "src/http.c" */
    const char *sha256; /* lowercase hex */
} tqc_trusted_file_t;
extern const tqc_trusted_file_t tqc_trusted_runtime[];
extern const size_t tqc_trusted_runtime_count;

/* paths.c --------------------------------------------------------------------------- */

/* Absolute path with symlinks resolved when it exists, else made absolute against the
 * working directory and with "." and ".." removed. NULL on OOM. */
char *tqc_path_resolve(const char *path);
/* dir + "/" + name (name returned as is when absolute). */
char *tqc_path_join(const char *dir, const char *name);
/* The part of `path` after `root` + "/", or `path` itself when outside `root`. */
const char *tqc_path_relative(const char *root, const char *path);
/* 1 when `path` ends with the components of `suffix` ("tenantq/raw.h"). */
int tqc_path_has_suffix(const char *path, const char *suffix);
/* 1 when `path` is a tests path (see docs/checker.md, TQ007). */
int tqc_path_is_test(const char *path);
/* 1 when `path` lies inside a tenantq runtime tree: a directory R/runtime/ where
 * R/runtime/include/tenantq/raw.h exists; *internal is set when it is under
 * R/runtime/src/, and *rel (when not NULL) points at the part after "runtime/". */
int tqc_path_in_runtime_tree(const char *path, int *internal, const char **rel);

/* git.c ---------------------------------------------------------------------------- */
/* Whether git tracks `path` in the work tree at `root`: 1 tracked, 0 not tracked, -1
 * unknown (no git, not a work tree). */
int tqc_git_tracked(const char *root, const char *path);
/* 1 when `path` is `dir` itself or inside it. */
int tqc_path_is_under(const char *path, const char *dir);

/* sha256.c -------------------------------------------------------------------------- */
/* Lowercase hex SHA-256 of `len` bytes; 0, or -1 when libcrypto fails. */
int tqc_sha256_hex(const void *data, size_t len, char out[65]);

/* manifest.c ------------------------------------------------------------------------ */
/* Reads a manifest once (by resolved path) and adds its entries. Returns 0, or -1 with
 * a session error. Callers hold the session lock or run before the workers start. */
int tqc_manifest_load(tqc_session_t *s, const char *path);
/* The entry listing the resolved `path`, or NULL. */
const tqc_manifest_entry_t *tqc_manifest_find(const tqc_session_t *s, const char *path);

/* rule_tq006_tampered_generated.c --------------------------------------------------- */
/* Decides whether a freshly read file is verified generated code and reports TQ006 for
 * a banner or manifest entry that does not hold up. Called with the lock held. */
void tqc_tq006_classify(tqc_session_t *s, tqc_file_t *file);

/* rule_tq001_raw_layer.c ------------------------------------------------------------ */
/* Reports `#pragma redefine_extname` lines that name a tq_raw_* symbol. Called with the
 * lock held, for every non-exempt file. */
void tqc_tq001_file(tqc_session_t *s, const tqc_file_t *file);
/* Reports the tenantq symbols an assembly source names (see tqc_asm_scan). */
void tqc_tq001_assembly(tqc_session_t *s, const tqc_file_t *file);

/* One tenantq symbol named in assembly text: TQ001 for a tq_raw_* name or a name
 * pasted together from pieces (.irp/.macro arguments, ##), TQ004 for a definition of
 * a tq_ctx_* symbol (a label, .globl, .set, .equ, .weak). */
typedef struct tqc_asm_hit {
    tqc_rule_t rule;
    size_t offset, length; /* of the name in the text */
    const char *what;      /* "names raw-layer symbol", ... */
} tqc_asm_hit_t;
/* Scans `text` for such names; calls `hit` for each (stop by returning nonzero). */
void tqc_asm_scan(const char *text, int (*hit)(void *data, const tqc_asm_hit_t *h),
                  void *data);

/* suppress.c ------------------------------------------------------------------------ */
/* Collects the suppression comments of a non-exempt file; malformed ones are TQ000. */
void tqc_suppress_scan(tqc_session_t *s, const tqc_file_t *file);
/* Marks suppressed findings and reports unused suppressions (TQ000). */
void tqc_suppress_apply(tqc_session_t *s);

/* baseline.c ------------------------------------------------------------------------ */
/* Marks findings whose fingerprint the baseline lists. 0, or -1 with a session error. */
int tqc_baseline_apply(tqc_session_t *s, const char *path);
/* Writes the fingerprints of the current unsuppressed findings. 0 or -1. */
int tqc_baseline_write(tqc_session_t *s, const char *path);

/* fingerprint.c --------------------------------------------------------------------- */
/* Fills every finding's fingerprint; findings must be sorted. 0 or -1. */
int tqc_fingerprints_compute(tqc_session_t *s);

/* output_*.c ------------------------------------------------------------------------ */
int tqc_output_text(const tqc_session_t *s, FILE *out);
int tqc_output_json(const tqc_session_t *s, FILE *out);
int tqc_output_sarif(const tqc_session_t *s, FILE *out);
int tqc_output_gitlab(const tqc_session_t *s, FILE *out);
/* cJSON helper shared by the json and sarif writers: prints and frees `doc`. */
int tqc_print_json(struct cJSON *doc, FILE *out);

/* options.c ------------------------------------------------------------------------- */
/* Parses argv into `opt`. Returns 0, 1 when --help/--version was handled, -1 on a
 * usage error (already printed). */
int tqc_options_parse(int argc, char **argv, tqc_options_t *opt);

/* cmdline.c ------------------------------------------------------------------------- */
/* Splits a shell command line (quotes and backslashes) into words. 0 or -1. */
int tqc_shell_split(const char *command, char ***words, size_t *count);
void tqc_strv_free(char **v, size_t n);
/* Turns a compiler invocation into libclang arguments: drops the compiler, the source,
 * output and dependency-file options and -Werror; makes path options absolute against
 * `directory`. 0 or -1 on OOM. */
int tqc_args_from_command(char *const *argv, size_t argc, const char *directory,
                          const char *source_abs, char ***out, size_t *out_count);

/* compdb.c -------------------------------------------------------------------------- */
/* Builds the jobs from BUILD_DIR/compile_commands.json, all entries or those of the
 * named files. 0, or -1 with a session error. */
int tqc_compdb_jobs(tqc_session_t *s, tqc_job_t **jobs, size_t *count);
void tqc_jobs_free(tqc_job_t *jobs, size_t count);

/* signatures.c --------------------------------------------------------------------- */
/* Reports, after every unit was analysed, external functions whose definition and a
 * declaration in another unit disagree on a type that involves a tenant context. */
void tqc_signatures_compare(tqc_session_t *s);
void tqc_signatures_free(void);

/* runner.c -------------------------------------------------------------------------- */
/* Analyses the jobs on `threads` threads. Returns the number of jobs that failed. */
size_t tqc_run_jobs(tqc_session_t *s, const tqc_job_t *jobs, size_t count, int threads);

#endif /* TQC_INTERNAL_H */

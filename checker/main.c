/* main.c: the tenantq-check driver. Parses the command line, gathers the translation
 * units, runs the analysis, applies suppressions and the baseline, writes the report
 * and chooses the exit status: 0 no failing finding, 1 findings, 2 anything requested
 * was not analysed (bad arguments, unreadable database or manifest, a unit that does
 * not parse, a libclang failure). It never exits 0 when something was not analysed. */
#include "internal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The repository root: --root, else `git rev-parse --show-toplevel`, else the cwd. */
static char *find_root(const char *given)
{
    if (given) {
        return tqc_path_resolve(given);
    }
    char line[PATH_MAX + 2];
    FILE *git = popen("git rev-parse --show-toplevel 2>/dev/null", "r");
    if (git) {
        char *got = fgets(line, sizeof line, git);
        int status = pclose(git);
        if (got && status == 0) {
            line[strcspn(line, "\r\n")] = '\0';
            if (line[0] == '/') {
                return tqc_path_resolve(line);
            }
        }
    }
    return tqc_path_resolve(".");
}

static int write_report(tqc_session_t *s)
{
    FILE *out = stdout;
    if (s->opt.output && !(out = fopen(s->opt.output, "w"))) {
        tqc_session_error(s, "%s: cannot open for writing", s->opt.output);
        return -1;
    }
    int rc;
    switch (s->opt.format) {
    case TQC_FORMAT_JSON: rc = tqc_output_json(s, out); break;
    case TQC_FORMAT_SARIF: rc = tqc_output_sarif(s, out); break;
    case TQC_FORMAT_GITLAB: rc = tqc_output_gitlab(s, out); break;
    default: rc = tqc_output_text(s, out); break;
    }
    if (fflush(out) != 0) {
        rc = -1;
    }
    if (out != stdout && fclose(out) != 0) {
        rc = -1;
    }
    if (rc != 0) {
        tqc_session_error(s, "%s: cannot write the report",
                          s->opt.output ? s->opt.output : "stdout");
    }
    return rc;
}

static void print_summary(const tqc_session_t *s, size_t units)
{
    size_t suppressed = 0, baselined = 0;
    for (size_t i = 0; i < s->finding_count; i++) {
        suppressed += s->findings[i].suppressed != 0;
        baselined += s->findings[i].baselined != 0;
    }
    fprintf(stderr, "tenantq-check: %zu finding%s (%zu suppressed, %zu in baseline) in %zu "
                    "translation unit%s\n",
            s->finding_count, s->finding_count == 1 ? "" : "s", suppressed, baselined, units,
            units == 1 ? "" : "s");
}

int main(int argc, char **argv)
{
    tqc_session_t s;
    pthread_mutexattr_t attr;
    tqc_job_t *jobs = NULL;
    size_t job_count = 0;
    int status = 2;
    int baseline_written = 0;
    memset(&s, 0, sizeof s);
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&s.lock, &attr);
    pthread_mutexattr_destroy(&attr);

    int parsed = tqc_options_parse(argc, argv, &s.opt);
    if (parsed != 0) {
        status = parsed > 0 ? 0 : 2;
        goto done;
    }
    s.root = find_root(s.opt.root);
    if (!s.root) {
        tqc_session_error(&s, "cannot determine the repository root");
        goto done;
    }
    if (s.opt.build_dir && !(s.build_dir_real = tqc_path_resolve(s.opt.build_dir))) {
        tqc_session_error(&s, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < s.opt.manifest_count; i++) {
        (void)tqc_manifest_load(&s, s.opt.manifests[i]);
    }
    if (s.error_count || tqc_compdb_jobs(&s, &jobs, &job_count) != 0) {
        goto done;
    }
    if (s.unchecked_entries && !s.opt.only_named) {
        fprintf(stderr, "tenantq-check: %s: %zu of %zu compilation database entr%s outside the "
                        "named paths %s not checked%s\n",
                s.opt.require_all ? "error" : "note", s.unchecked_entries, s.database_entries,
                s.database_entries == 1 ? "y" : "ies", s.unchecked_entries == 1 ? "was" : "were",
                s.opt.require_all ? "" : "; check the whole database, or pass --require-all to "
                                         "fail when a path filter leaves units out");
        if (s.opt.require_all) {
            tqc_session_error(&s, "--require-all: %zu of %zu compilation database entries were "
                                  "left unchecked by the named paths",
                              s.unchecked_entries, s.database_entries);
        }
    }
    (void)tqc_run_jobs(&s, jobs, job_count, s.opt.jobs);
    tqc_signatures_compare(&s);
    tqc_suppress_apply(&s);
    tqc_findings_sort(&s);
    if (tqc_fingerprints_compute(&s) != 0) {
        tqc_session_error(&s, "cannot compute fingerprints");
    }
    if (s.opt.baseline) {
        (void)tqc_baseline_apply(&s, s.opt.baseline);
    }
    if (s.opt.write_baseline) {
        baseline_written = tqc_baseline_write(&s, s.opt.write_baseline) == 0;
    }
    (void)write_report(&s);
    print_summary(&s, job_count);
    if (s.out_of_memory) {
        fprintf(stderr, "tenantq-check: error: out of memory; the results are incomplete\n");
    }
    if (s.error_count || s.out_of_memory) {
        fprintf(stderr, "tenantq-check: error: %zu problem%s kept parts of the request from "
                        "being analysed\n", s.error_count, s.error_count == 1 ? "" : "s");
        status = 2;
    } else if (baseline_written) {
        /* Adopting a baseline is the job's purpose: the findings it recorded pass. */
        status = 0;
    } else {
        status = tqc_findings_failing(&s) ? 1 : 0;
    }
done:
    tqc_jobs_free(jobs, job_count);
    free(s.opt.manifests);
    free(s.opt.files);
    free(s.opt.extra_args);
    tqc_signatures_free();
    tqc_session_free(&s);
    return status;
}

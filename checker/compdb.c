/* compdb.c: reads BUILD_DIR/compile_commands.json (entries with "directory", "file"
 * and "arguments" or "command") into analysis jobs, and builds jobs for files named on
 * the command line. A named file the database does not list, an entry that is not an
 * object with those members, or a source that does not exist is an error: the checker
 * must never pass because it analysed less than it was asked to. */
#include "internal.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void job_clear(tqc_job_t *job)
{
    free(job->file);
    free(job->compiler);
    tqc_strv_free(job->args, job->arg_count);
    memset(job, 0, sizeof *job);
}

void tqc_jobs_free(tqc_job_t *jobs, size_t count)
{
    for (size_t i = 0; i < count && jobs; i++) {
        job_clear(&jobs[i]);
    }
    free(jobs);
}

/* Appends extra arguments (after --) to a job. */
static int append_extra(tqc_session_t *s, tqc_job_t *job)
{
    if (!s->opt.extra_count) {
        return 0;
    }
    char **args = realloc(job->args, (job->arg_count + s->opt.extra_count) * sizeof *args);
    if (!args) {
        return -1;
    }
    job->args = args;
    for (size_t i = 0; i < s->opt.extra_count; i++) {
        args[job->arg_count] = strdup(s->opt.extra_args[i]);
        if (!args[job->arg_count]) {
            return -1;
        }
        job->arg_count++;
    }
    return 0;
}

static int entry_to_job(tqc_session_t *s, const cJSON *entry, size_t index, tqc_job_t *job)
{
    const cJSON *dir = cJSON_GetObjectItemCaseSensitive(entry, "directory");
    const cJSON *file = cJSON_GetObjectItemCaseSensitive(entry, "file");
    const cJSON *arguments = cJSON_GetObjectItemCaseSensitive(entry, "arguments");
    const cJSON *command = cJSON_GetObjectItemCaseSensitive(entry, "command");
    char **argv = NULL;
    size_t argc = 0;
    int rc = -1, oom = 1;
    if (!cJSON_IsString(dir) || !cJSON_IsString(file) ||
        (!cJSON_IsArray(arguments) && !cJSON_IsString(command))) {
        tqc_session_error(s, "compile_commands.json: entry %zu needs \"directory\", \"file\" "
                             "and \"arguments\" or \"command\"", index);
        return -1;
    }
    char *joined = tqc_path_join(dir->valuestring, file->valuestring);
    job->file = joined ? tqc_path_resolve(joined) : NULL;
    free(joined);
    if (!job->file) {
        goto done;
    }
    if (cJSON_IsArray(arguments)) {
        size_t cap = 0;
        const cJSON *a;
        cJSON_ArrayForEach(a, arguments)
        {
            if (!cJSON_IsString(a)) {
                tqc_session_error(s, "compile_commands.json: entry %zu: non-string argument",
                                  index);
                oom = 0;
                goto done;
            }
            if (tqc_grow((void **)&argv, &cap, argc + 1, sizeof *argv) != 0) {
                goto done;
            }
            argv[argc] = strdup(a->valuestring);
            if (!argv[argc++]) {
                goto done;
            }
        }
    } else if (tqc_shell_split(command->valuestring, &argv, &argc) != 0) {
        goto done;
    }
    if (argc > 0 && !(job->compiler = strdup(argv[0]))) {
        goto done;
    }
    if (tqc_args_from_command(argv, argc, dir->valuestring, job->file, &job->args,
                              &job->arg_count) != 0 ||
        append_extra(s, job) != 0) {
        goto done;
    }
    rc = 0;
done:
    if (rc != 0 && oom) {
        tqc_session_error(s, "out of memory reading compile_commands.json");
    }
    tqc_strv_free(argv, argc);
    return rc;
}

/* Jobs for files named without a database: the arguments after -- apply to each. */
static int named_jobs(tqc_session_t *s, tqc_job_t **jobs, size_t *count)
{
    tqc_job_t *v = calloc(s->opt.file_count ? s->opt.file_count : 1, sizeof *v);
    if (!v) {
        tqc_session_error(s, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < s->opt.file_count; i++) {
        v[i].file = tqc_path_resolve(s->opt.files[i]);
        if (!v[i].file || append_extra(s, &v[i]) != 0) {
            tqc_jobs_free(v, s->opt.file_count);
            tqc_session_error(s, "out of memory");
            return -1;
        }
    }
    *jobs = v;
    *count = s->opt.file_count;
    return 0;
}

int tqc_compdb_jobs(tqc_session_t *s, tqc_job_t **jobs, size_t *count)
{
    if (!s->opt.build_dir) {
        return named_jobs(s, jobs, count);
    }
    char *path = tqc_path_join(s->opt.build_dir, "compile_commands.json");
    cJSON *doc = NULL;
    tqc_job_t *v = NULL;
    size_t n = 0;
    char **wanted = NULL;
    int *matched = NULL;
    int rc = -1;
    if (!path) {
        tqc_session_error(s, "out of memory");
        goto done;
    }
    doc = tqc_read_json(s, path, "compilation database");
    if (!doc) {
        goto done;
    }
    if (!cJSON_IsArray(doc)) {
        tqc_session_error(s, "%s: not a JSON array", path);
        goto done;
    }
    if (s->opt.file_count) {
        wanted = calloc(s->opt.file_count, sizeof *wanted);
        matched = calloc(s->opt.file_count, sizeof *matched);
        if (!wanted || !matched) {
            tqc_session_error(s, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < s->opt.file_count; i++) {
            wanted[i] = tqc_path_resolve(s->opt.files[i]);
            if (!wanted[i]) {
                tqc_session_error(s, "out of memory");
                goto done;
            }
        }
    }
    size_t total = (size_t)cJSON_GetArraySize(doc);
    s->database_entries = total;
    v = calloc(total ? total : 1, sizeof *v);
    if (!v) {
        tqc_session_error(s, "out of memory");
        goto done;
    }
    size_t index = 0;
    const cJSON *entry;
    cJSON_ArrayForEach(entry, doc)
    {
        if (entry_to_job(s, entry, index++, &v[n]) != 0) {
            n++;
            goto done;
        }
        int keep = !s->opt.file_count;
        for (size_t i = 0; i < s->opt.file_count; i++) {
            if (tqc_path_is_under(v[n].file, wanted[i])) {
                matched[i] = keep = 1;
            }
        }
        if (keep) {
            n++;
        } else {
            job_clear(&v[n]);
            s->unchecked_entries++;
        }
    }
    rc = 0;
    for (size_t i = 0; i < s->opt.file_count; i++) {
        if (!matched[i]) {
            tqc_session_error(s, "%s: not in %s", s->opt.files[i], path);
            rc = -1;
        }
    }
    if (rc == 0 && n == 0) {
        tqc_session_error(s, "%s: no entries to check", path);
        rc = -1;
    }
done:
    if (rc == 0) {
        *jobs = v;
        *count = n;
    } else {
        tqc_jobs_free(v, n);
    }
    tqc_strv_free(wanted, s->opt.file_count);
    free(matched);
    cJSON_Delete(doc);
    free(path);
    return rc;
}

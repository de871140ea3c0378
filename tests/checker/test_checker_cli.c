/* test_checker_cli.c: tenantq-check as a CI gate sees it: exit statuses, the json and
 * sarif formats, fingerprints that survive moved lines, the baseline, compilation
 * databases in both forms, and manifests (explicit, tampered, discovered in the build
 * directory, refused outside it). Runs the real executable; asserts on its output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef TQC_CHECKER
#error "TQC_CHECKER must name the tenantq-check executable"
#endif

typedef struct run_result {
    int status;
    char *out; /* stdout, NUL-terminated */
    char *err; /* stderr, NUL-terminated */
} run_result_t;

static char tmp_root[4096];

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = calloc(1, (size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return buf;
}

/* Runs the checker with a NULL-terminated argument list (argv[0] added here), stdout
 * and stderr captured (stderr is freed by the caller through run_free or ignored). */
static run_result_t run_checker(const char *first, ...)
{
    const char *argv[64];
    int argc = 0;
    argv[argc++] = TQC_CHECKER;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && argc < 63; a = va_arg(ap, const char *)) {
        argv[argc++] = a;
    }
    va_end(ap);
    argv[argc] = NULL;

    char out_path[4200], err_path[4200];
    snprintf(out_path, sizeof out_path, "%s/stdout.txt", tmp_root);
    snprintf(err_path, sizeof err_path, "%s/stderr.txt", tmp_root);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int efd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || efd < 0 || dup2(fd, 1) < 0 || dup2(efd, 2) < 0) {
            _exit(127);
        }
        execv(TQC_CHECKER, (char *const *)argv);
        _exit(127);
    }
    int wstatus = 0;
    assert_int_equal(waitpid(pid, &wstatus, 0), pid);
    assert_true(WIFEXITED(wstatus));
    static char *last_err;
    free(last_err); /* stderr of the previous run; tests read r.err before the next */
    last_err = read_text(err_path);
    run_result_t r = {WEXITSTATUS(wstatus), read_text(out_path), last_err};
    return r;
}

/* Runs a command (argv, NULL-terminated) and returns its exit status. */
static int run_command(const char *const *argv)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0) {
            _exit(127);
        }
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    int wstatus = 0;
    assert_int_equal(waitpid(pid, &wstatus, 0), pid);
    return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
}

/* base/rel in one of 16 rotating buffers (enough for one checker invocation). */
static char *joined(const char *base, const char *rel)
{
    static char buf[16][8600];
    static int next;
    char *b = buf[next++ % 16];
    snprintf(b, sizeof buf[0], "%s/%s", base, rel);
    return b;
}

static char *fixture(const char *rel)
{
    return joined(TQC_FIXTURES, rel);
}

static char *tmp_path(const char *rel)
{
    return joined(tmp_root, rel);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void copy_file(const char *from, const char *to)
{
    char *text = read_text(from);
    write_text(to, text);
    free(text);
}

static void sha256_file(const char *path, char hex[65])
{
    char *text = read_text(path);
    unsigned char digest[32];
    unsigned int len = 0;
    assert_int_equal(EVP_Digest(text, strlen(text), digest, &len, EVP_sha256(), NULL), 1);
    for (unsigned i = 0; i < 32; i++) {
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    }
    free(text);
}

#define INC "-I" TQC_RUNTIME_INCLUDE

/* ---- exit statuses ------------------------------------------------------------------- */

static void test_exit_clean_is_0(void **state)
{
    run_result_t r = run_checker("--root", TQC_FIXTURES, fixture("clean/public_api.c"), "--", INC,
                                 NULL);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "");
    free(r.out);
}

static void test_exit_findings_is_1(void **state)
{
    run_result_t r = run_checker("--root", TQC_FIXTURES, fixture("bypass/tq001_direct_call.c"),
                                 "--", INC, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "[TQ001]"));
    free(r.out);
}

static void test_exit_parse_error_is_2_even_with_findings(void **state)
{
    run_result_t r = run_checker("--root", TQC_FIXTURES, fixture("bypass/tq001_direct_call.c"),
                                 fixture("errors/parse_error.c"), "--", INC, NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.out, "[TQ001]"));
    free(r.out);
}

static void test_exit_missing_file_is_2(void **state)
{
    run_result_t r = run_checker(fixture("clean/does_not_exist.c"), "--", INC, NULL);
    assert_int_equal(r.status, 2);
    free(r.out);
}

static void test_gcc_only_arguments_are_ignored(void **state)
{
    run_result_t r = run_checker("--root", TQC_FIXTURES, fixture("bypass/tq005_dlsym.c"), "--",
                                 INC, "-fconserve-stack", "-fno-tree-loop-distribute-patterns",
                                 NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "[TQ005]"));
    free(r.out);
    /* A real compile error alongside still fails closed. */
    r = run_checker(fixture("errors/parse_error.c"), "--", "-fconserve-stack", NULL);
    assert_int_equal(r.status, 2);
    free(r.out);
}

static void test_exit_bad_arguments_is_2(void **state)
{
    run_result_t r = run_checker("--format", "xml", fixture("clean/public_api.c"), NULL);
    assert_int_equal(r.status, 2);
    free(r.out);
    r = run_checker("--no-such-option", NULL);
    assert_int_equal(r.status, 2);
    free(r.out);
    r = run_checker(NULL);
    assert_int_equal(r.status, 2);
    free(r.out);
}

static void test_exit_no_database_is_2(void **state)
{
    run_result_t r = run_checker("-p", tmp_path("no-such-build"), NULL);
    assert_int_equal(r.status, 2);
    free(r.out);
}

static void test_exit_bad_manifest_is_2(void **state)
{
    write_text(tmp_path("bad.tq.json"), "{\"generator\": \"tenantq-gen 0.1.0\", \"files\": 3}");
    run_result_t r = run_checker("--manifest", tmp_path("bad.tq.json"),
                                 fixture("clean/public_api.c"), "--", INC, NULL);
    assert_int_equal(r.status, 2);
    free(r.out);
}

/* ---- json ------------------------------------------------------------------------------ */

static cJSON *findings_of(cJSON *doc)
{
    cJSON *findings = cJSON_GetObjectItemCaseSensitive(doc, "findings");
    assert_true(cJSON_IsArray(findings));
    return findings;
}

static const char *str_of(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

static int int_of(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    assert_true(cJSON_IsNumber(v));
    return v->valueint;
}

/* Runs the checker on a bypass fixture plus clean/suppression_with_reason.c in
 * `format`, expects exit 1 and returns the parsed report. */
static cJSON *report_of(const char *format, const char *bypass)
{
    run_result_t r = run_checker("--root", TQC_FIXTURES, "--format", format, fixture(bypass),
                                 fixture("clean/suppression_with_reason.c"), "--", INC, NULL);
    assert_int_equal(r.status, 1);
    cJSON *doc = cJSON_Parse(r.out);
    assert_non_null(doc);
    free(r.out);
    return doc;
}

static void test_json_reports_every_finding_with_suppression_state(void **state)
{
    cJSON *doc = report_of("json", "bypass/tq000_wrong_rule.c");
    cJSON *findings = findings_of(doc);
    assert_int_equal(cJSON_GetArraySize(findings), 4);
    int suppressed = 0;
    const cJSON *f;
    cJSON_ArrayForEach(f, findings)
    {
        const char *rule = str_of(f, "rule");
        assert_true(strncmp(rule, "TQ00", 4) == 0);
        assert_true(int_of(f, "line") > 0 && int_of(f, "column") > 0);
        assert_true(int_of(f, "end_line") >= int_of(f, "line"));
        assert_int_equal(strlen(str_of(f, "fingerprint")), 32);
        assert_string_equal(str_of(f, "level"), "error");
        const cJSON *sup = cJSON_GetObjectItemCaseSensitive(f, "suppressed");
        assert_true(cJSON_IsBool(sup));
        if (cJSON_IsTrue(sup)) {
            suppressed++;
            assert_string_equal(str_of(f, "path"), "clean/suppression_with_reason.c");
            const char *why = str_of(f, "justification");
            assert_true(strstr(why, "ops dashboard") || strstr(why, "migration tool"));
        } else {
            assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(f, "justification")));
        }
    }
    assert_int_equal(suppressed, 2);
    cJSON *first = cJSON_GetArrayItem(findings, 0);
    assert_string_equal(str_of(first, "path"), "bypass/tq000_wrong_rule.c");
    assert_string_equal(str_of(first, "rule"), "TQ000");
    assert_int_equal(int_of(first, "line"), 5);
    assert_int_equal(int_of(first, "column"), 8);
    cJSON *summary = cJSON_GetObjectItemCaseSensitive(doc, "summary");
    assert_int_equal(int_of(summary, "findings"), 4);
    assert_int_equal(int_of(summary, "suppressed"), 2);
    assert_int_equal(int_of(summary, "failing"), 2);
    cJSON_Delete(doc);
}

static char *first_fingerprint(const char *file, int *line)
{
    run_result_t r = run_checker("--root", tmp_root, "--format", "json", file, NULL);
    assert_int_equal(r.status, 1);
    cJSON *doc = cJSON_Parse(r.out);
    assert_non_null(doc);
    cJSON *f = cJSON_GetArrayItem(findings_of(doc), 0);
    assert_non_null(f);
    char *fp = strdup(str_of(f, "fingerprint"));
    *line = int_of(f, "line");
    cJSON_Delete(doc);
    free(r.out);
    return fp;
}

static void test_fingerprint_survives_moved_lines(void **state)
{
    const char *path = tmp_path("moving.c");
    write_text(path, "const char *u(void);\nconst char *u(void) { return \"/collections/kb/points\"; }\n");
    int line1 = 0, line2 = 0, line3 = 0;
    char *before = first_fingerprint(path, &line1);
    write_text(path, "/* a comment\n   pushing\n   lines */\n\nconst char *u(void);\n"
                     "const char *u(void)   {   return \"/collections/kb/points\"; }\n");
    char *after = first_fingerprint(path, &line2);
    write_text(path, "const char *u(void);\nconst char *u(void) { return \"/collections/other/points\"; }\n");
    char *changed = first_fingerprint(path, &line3);
    assert_int_equal(line1, 2);
    assert_int_equal(line2, 6);
    assert_string_equal(before, after);
    assert_string_not_equal(before, changed);
    free(before);
    free(after);
    free(changed);
}

static void test_baseline_accepts_known_and_reports_new(void **state)
{
    const char *path = tmp_path("legacy.c");
    const char *baseline = tmp_path("baseline.json");
    write_text(path, "const char *u(void);\nconst char *u(void) { return \"/collections/kb/points\"; }\n");
    run_result_t r = run_checker("--root", tmp_root, "--write-baseline", baseline, path, NULL);
    /* Writing a baseline adopts the current findings: the job passes. */
    assert_int_equal(r.status, 0);
    free(r.out);
    r = run_checker("--root", tmp_root, "--baseline", baseline, path, NULL);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "");
    free(r.out);
    write_text(path, "const char *u(void);\nconst char *u(void) { return \"/collections/kb/points\"; }\n"
                     "const char *v(void);\nconst char *v(void) { return \"/points/scroll\"; }\n");
    r = run_checker("--root", tmp_root, "--baseline", baseline, path, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "legacy.c:4:"));
    assert_null(strstr(r.out, "legacy.c:2:"));
    free(r.out);
    write_text(baseline, "[1, 2]");
    r = run_checker("--root", tmp_root, "--baseline", baseline, path, NULL);
    assert_int_equal(r.status, 2);
    free(r.out);
}

/* ---- sarif ----------------------------------------------------------------------------- */

/* 1 when docs/checker.md has a heading whose GitHub anchor (lowercase, blanks to '-',
 * punctuation other than '-' dropped) is `anchor` and that names rule `id`. */
static int heading_anchor_exists(const char *anchor, const char *id)
{
    char *docs = read_text(TQC_DOCS_MD);
    int found = 0;
    for (char *line = strtok(docs, "\n"); line && !found; line = strtok(NULL, "\n")) {
        if (line[0] != '#' || !strstr(line, id)) {
            continue;
        }
        char slug[256];
        size_t n = 0;
        const char *p = line;
        while (*p == '#' || *p == ' ') {
            p++;
        }
        for (; *p && n + 1 < sizeof slug; p++) {
            if (*p == ' ') {
                slug[n++] = '-';
            } else if (*p == '-' || *p == '_' || (*p >= '0' && *p <= '9') ||
                       (*p >= 'a' && *p <= 'z')) {
                slug[n++] = *p;
            } else if (*p >= 'A' && *p <= 'Z') {
                slug[n++] = (char)(*p - 'A' + 'a');
            }
        }
        slug[n] = '\0';
        found = strcmp(slug, anchor) == 0;
    }
    free(docs);
    return found;
}

static void test_sarif_has_what_code_scanning_reads(void **state)
{
    cJSON *doc = report_of("sarif", "bypass/tq001_direct_call.c");
    assert_string_equal(str_of(doc, "version"), "2.1.0");
    cJSON *run = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "runs"), 0);
    assert_non_null(run);
    cJSON *driver = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(run, "tool"), "driver");
    assert_string_equal(str_of(driver, "name"), "tenantq-check");
    assert_true(strlen(str_of(driver, "version")) > 0);
    cJSON *rules = cJSON_GetObjectItemCaseSensitive(driver, "rules");
    assert_int_equal(cJSON_GetArraySize(rules), 8);
    const cJSON *rule;
    int index = 0;
    cJSON_ArrayForEach(rule, rules)
    {
        char id[16];
        snprintf(id, sizeof id, "TQ%03d", index++);
        assert_string_equal(str_of(rule, "id"), id);
        assert_true(strlen(str_of(cJSON_GetObjectItemCaseSensitive(rule, "shortDescription"), "text")) > 0);
        assert_true(strlen(str_of(cJSON_GetObjectItemCaseSensitive(rule, "fullDescription"), "text")) > 0);
        cJSON *help = cJSON_GetObjectItemCaseSensitive(rule, "help");
        assert_true(strlen(str_of(help, "text")) > 0 && strlen(str_of(help, "markdown")) > 0);
        /* helpUri: docs/checker.md#<anchor of the rule's heading>. */
        const char *uri = str_of(rule, "helpUri");
        const char *hash = strrchr(uri, '#');
        assert_non_null(hash);
        assert_true(hash - uri > 11 && strncmp(hash - 11, "/checker.md", 11) == 0);
        assert_true(heading_anchor_exists(hash + 1, id));
    }
    cJSON *results = cJSON_GetObjectItemCaseSensitive(run, "results");
    assert_true(cJSON_GetArraySize(results) >= 3);
    int suppressed = 0;
    const cJSON *res;
    cJSON_ArrayForEach(res, results)
    {
        const char *id = str_of(res, "ruleId");
        assert_string_equal(str_of(cJSON_GetArrayItem(rules, int_of(res, "ruleIndex")), "id"), id);
        assert_true(strlen(str_of(cJSON_GetObjectItemCaseSensitive(res, "message"), "text")) > 0);
        cJSON *phys = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(res, "locations"), 0),
            "physicalLocation");
        cJSON *art = cJSON_GetObjectItemCaseSensitive(phys, "artifactLocation");
        assert_true(strncmp(str_of(art, "uri"), "bypass/", 7) == 0 ||
                    strncmp(str_of(art, "uri"), "clean/", 6) == 0);
        assert_string_equal(str_of(art, "uriBaseId"), "%SRCROOT%");
        cJSON *region = cJSON_GetObjectItemCaseSensitive(phys, "region");
        assert_true(int_of(region, "startLine") > 0 && int_of(region, "startColumn") > 0);
        assert_true(int_of(region, "endLine") >= int_of(region, "startLine"));
        assert_true(int_of(region, "endColumn") > 0);
        cJSON *prints = cJSON_GetObjectItemCaseSensitive(res, "partialFingerprints");
        assert_int_equal(strlen(str_of(prints, "primaryLocationLineHash")), 32);
        cJSON *sups = cJSON_GetObjectItemCaseSensitive(res, "suppressions");
        if (sups) {
            suppressed++;
            cJSON *sup = cJSON_GetArrayItem(sups, 0);
            assert_string_equal(str_of(sup, "kind"), "inSource");
            assert_true(strlen(str_of(sup, "justification")) > 0);
        }
    }
    assert_int_equal(suppressed, 2);
    cJSON_Delete(doc);
}

/* ---- compilation database ------------------------------------------------------------- */

static void test_compdb_command_and_arguments_forms(void **state)
{
    char db[16384];
    const char *build = tmp_path("build-db");
    mkdir(build, 0700);
    snprintf(db, sizeof db,
             "[{\"directory\": \"%s\", \"file\": \"bypass/tq002_literal_url.c\","
             "  \"command\": \"/usr/bin/cc -c -o x.o -I '%s' -DX=\\\"1 2\\\" -Werror bypass/tq002_literal_url.c\"},"
             " {\"directory\": \"%s\", \"file\": \"%s\","
             "  \"arguments\": [\"cc\", \"-MD\", \"-MF\", \"d.d\", \"-Iinclude\", \"-I%s\", \"-c\", \"bypass/tq001_static_inline_header.c\"]},"
             " {\"directory\": \"%s\", \"file\": \"clean/public_api.c\","
             "  \"arguments\": [\"cc\", \"-I\", \"%s\", \"-c\", \"clean/public_api.c\"]}]",
             TQC_FIXTURES, TQC_RUNTIME_INCLUDE, TQC_FIXTURES,
             fixture("bypass/tq001_static_inline_header.c"), TQC_RUNTIME_INCLUDE, TQC_FIXTURES,
             TQC_RUNTIME_INCLUDE);
    write_text(tmp_path("build-db/compile_commands.json"), db);
    run_result_t r = run_checker("--root", TQC_FIXTURES, "-p", build, "-j", "2", NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "bypass/tq002_literal_url.c:5:12: error:"));
    assert_non_null(strstr(r.out, "include/raw_inline.h:9:12: error:"));
    free(r.out);
    /* Only the named file. */
    r = run_checker("--root", TQC_FIXTURES, "-p", build, fixture("clean/public_api.c"), NULL);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "");
    free(r.out);
    /* A named directory selects the entries below it. */
    r = run_checker("--root", TQC_FIXTURES, "-p", build, fixture("clean"), NULL);
    assert_int_equal(r.status, 0);
    free(r.out);
    r = run_checker("--root", TQC_FIXTURES, "-p", build, fixture("bypass"), NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "bypass/tq002_literal_url.c:5:12: error:"));
    free(r.out);
    /* A named file the database does not list. */
    r = run_checker("--root", TQC_FIXTURES, "-p", build, fixture("clean/status_names.c"), NULL);
    assert_int_equal(r.status, 2);
    free(r.out);
}

static void test_output_file(void **state)
{
    const char *out = tmp_path("report.json");
    run_result_t r = run_checker("--root", TQC_FIXTURES, "--format", "json", "-o", out,
                                 fixture("bypass/tq005_dlsym.c"), NULL);
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    char *text = read_text(out);
    cJSON *doc = cJSON_Parse(text);
    assert_non_null(doc);
    assert_string_equal(str_of(cJSON_GetArrayItem(findings_of(doc), 0), "rule"), "TQ005");
    cJSON_Delete(doc);
    free(text);
    free(r.out);
}

/* ---- manifests ------------------------------------------------------------------------- */

/* Copies the generated fixtures into DIR and writes DIR/kb.tq.json for them. */
static void stage_generated(const char *dir, int write_manifest)
{
    char from[4200], to[4200], hc[65], hh[65], manifest[1024];
    mkdir(dir, 0700);
    const char *names[] = {"kb.tq.c", "kb.tq.h", "app.c"};
    for (int i = 0; i < 3; i++) {
        snprintf(from, sizeof from, "%s/generated/%s", TQC_FIXTURES, names[i]);
        snprintf(to, sizeof to, "%s/%s", dir, names[i]);
        copy_file(from, to);
    }
    snprintf(to, sizeof to, "%s/kb.tq.c", dir);
    sha256_file(to, hc);
    snprintf(to, sizeof to, "%s/kb.tq.h", dir);
    sha256_file(to, hh);
    snprintf(manifest, sizeof manifest,
             "{\"generator\": \"tenantq-gen 0.1.0\", \"abi\": 1,"
             " \"schema\": {\"path\": \"schema/kb.tq\", \"sha256\": \"%s\"}, \"functions\": [],"
             " \"files\": [{\"path\": \"kb.tq.c\", \"sha256\": \"%s\"},"
             "             {\"path\": \"kb.tq.h\", \"sha256\": \"%s\"}]}",
             hh, hc, hh);
    if (write_manifest) {
        snprintf(to, sizeof to, "%s/kb.tq.json", dir);
        write_text(to, manifest);
    }
}

static void test_manifest_exempts_generated_code(void **state)
{
    const char *dir = tmp_path("gen-ok");
    char c[4200], app[4200], m[4200];
    stage_generated(dir, 1);
    snprintf(c, sizeof c, "%s/kb.tq.c", dir);
    snprintf(app, sizeof app, "%s/app.c", dir);
    snprintf(m, sizeof m, "%s/kb.tq.json", dir);
    run_result_t r = run_checker("--root", dir, "--manifest", m, c, app, "--", INC, NULL);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "");
    free(r.out);
    /* Without the manifest the same files are forgeries. */
    r = run_checker("--root", dir, c, app, "--", INC, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "kb.tq.c:1:1: error: file carries the tenantq-gen banner"));
    assert_non_null(strstr(r.out, "kb.tq.h:1:1: error: file carries the tenantq-gen banner"));
    assert_non_null(strstr(r.out, "[TQ001]"));
    free(r.out);
}

static void test_manifest_rejects_edited_file(void **state)
{
    const char *dir = tmp_path("gen-edited");
    char c[4200], m[4200];
    stage_generated(dir, 1);
    snprintf(c, sizeof c, "%s/kb.tq.c", dir);
    snprintf(m, sizeof m, "%s/kb.tq.json", dir);
    char *text = read_text(c);
    char *edited = malloc(strlen(text) + 64);
    assert_non_null(edited);
    sprintf(edited, "%s\nstatic void extra(void) {}\n", text);
    write_text(c, edited);
    run_result_t r = run_checker("--root", dir, "--manifest", m, c, "--", INC, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "kb.tq.c:1:1: error: sha256 "));
    assert_non_null(strstr(r.out, "[TQ006]"));
    assert_non_null(strstr(r.out, "[TQ001]"));
    assert_non_null(strstr(r.out, "[TQ003]"));
    free(r.out);
    free(edited);
    free(text);
}

static void write_db_for(const char *build, const char *source_dir)
{
    char db[8192], path[4200];
    snprintf(db, sizeof db,
             "[{\"directory\": \"%s\", \"file\": \"kb.tq.c\", \"arguments\": [\"cc\", \"-I%s\", \"-c\", \"kb.tq.c\"]},"
             " {\"directory\": \"%s\", \"file\": \"app.c\", \"arguments\": [\"cc\", \"-I%s\", \"-c\", \"app.c\"]}]",
             source_dir, TQC_RUNTIME_INCLUDE, source_dir, TQC_RUNTIME_INCLUDE);
    snprintf(path, sizeof path, "%s/compile_commands.json", build);
    write_text(path, db);
}

static void test_manifest_discovered_only_in_build_dir(void **state)
{
    const char *build = tmp_path("gen-build");
    stage_generated(build, 1);
    write_db_for(build, build);
    /* --root is the build directory itself: git must vouch that the manifest is not
     * committed (an untracked file in a fresh work tree). */
    const char *init[] = {"git", "init", "-q", build, NULL};
    assert_int_equal(run_command(init), 0);
    run_result_t r = run_checker("--root", build, "-p", build, NULL);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "");
    free(r.out);

    /* The same manifest beside sources outside the build directory vouches for nothing. */
    const char *src = tmp_path("gen-src");
    const char *other = tmp_path("gen-other-build");
    stage_generated(src, 1);
    mkdir(other, 0700);
    write_db_for(other, src);
    r = run_checker("--root", src, "-p", other, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "kb.tq.c:1:1: error: file carries the tenantq-gen banner"));
    free(r.out);
}


/* ---- gitlab code quality --------------------------------------------------------------- */

/* GitLab's Code Quality report (docs.gitlab.com/ci/testing/code_quality, "Code Quality
 * report format"): a JSON array of objects each with a string description, check_name
 * and fingerprint (unique in the report), severity one of info, minor, major, critical,
 * blocker, and location.path (relative) with location.lines.begin (a line number).
 * GitLab's JSON schema is not available offline, so these are the documented required
 * fields, checked one by one. */
static void test_gitlab_code_quality_report(void **state)
{
    static const char *const severities[] = {"info", "minor", "major", "critical", "blocker"};
    run_result_t r = run_checker("--root", TQC_FIXTURES, "--format", "gitlab",
                                 fixture("bypass/tq002_snapshots.c"),
                                 fixture("bypass/tq007_literal_tenant.c"),
                                 fixture("clean/suppression_with_reason.c"), "--", INC, NULL);
    assert_int_equal(r.status, 1);
    cJSON *doc = cJSON_Parse(r.out);
    assert_non_null(doc);
    assert_true(cJSON_IsArray(doc));
    /* Two TQ002 and two TQ007; the two suppressed findings are left out. */
    assert_int_equal(cJSON_GetArraySize(doc), 4);
    const cJSON *issue;
    int critical = 0, minor = 0;
    cJSON_ArrayForEach(issue, doc)
    {
        assert_true(cJSON_IsObject(issue));
        assert_true(strlen(str_of(issue, "description")) > 0);
        assert_true(strncmp(str_of(issue, "check_name"), "tenantq-check/TQ00", 18) == 0);
        const char *fp = str_of(issue, "fingerprint");
        assert_int_equal(strlen(fp), 32);
        const cJSON *other;
        int same = 0;
        cJSON_ArrayForEach(other, doc)
        {
            same += strcmp(str_of(other, "fingerprint"), fp) == 0;
        }
        assert_int_equal(same, 1);
        const char *severity = str_of(issue, "severity");
        int known = 0;
        for (size_t i = 0; i < 5; i++) {
            known |= strcmp(severity, severities[i]) == 0;
        }
        assert_true(known);
        critical += strcmp(severity, "critical") == 0;
        minor += strcmp(severity, "minor") == 0;
        cJSON *location = cJSON_GetObjectItemCaseSensitive(issue, "location");
        assert_true(cJSON_IsObject(location));
        assert_true(strncmp(str_of(location, "path"), "bypass/", 7) == 0);
        cJSON *lines = cJSON_GetObjectItemCaseSensitive(location, "lines");
        assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(lines, "begin")));
        assert_true(int_of(lines, "begin") >= 1);
    }
    assert_int_equal(critical, 2);
    assert_int_equal(minor, 2);
    cJSON_Delete(doc);
    free(r.out);

    /* No findings: an empty array, which GitLab reads as "no issues". */
    r = run_checker("--root", TQC_FIXTURES, "--format", "gitlab", fixture("clean/public_api.c"),
                    "--", INC, NULL);
    assert_int_equal(r.status, 0);
    doc = cJSON_Parse(r.out);
    assert_true(cJSON_IsArray(doc) && cJSON_GetArraySize(doc) == 0);
    cJSON_Delete(doc);
    free(r.out);
}

/* ---- path filters ----------------------------------------------------------------------- */

static void test_path_filter_reports_unchecked_entries(void **state)
{
    char build[4096];
    snprintf(build, sizeof build, "%s", tmp_path("filter-build"));
    char src[4096];
    snprintf(src, sizeof src, "%s", tmp_path("filter-src"));
    char db[20000], path[4300];
    mkdir(build, 0700);
    mkdir(src, 0700);
    mkdir(joined(src, "app"), 0700);
    mkdir(joined(src, "tools"), 0700);
    write_text(joined(src, "app/main.c"), "int main(void) { return 0; }\n");
    write_text(joined(src, "tools/wipe.c"),
               "const char *u(void);\nconst char *u(void) { return \"/snapshots\"; }\n");
    snprintf(db, sizeof db,
             "[{\"directory\": \"%s\", \"file\": \"app/main.c\", \"arguments\": [\"cc\", \"-c\", \"app/main.c\"]},"
             " {\"directory\": \"%s\", \"file\": \"tools/wipe.c\", \"arguments\": [\"cc\", \"-c\", \"tools/wipe.c\"]}]",
             src, src);
    snprintf(path, sizeof path, "%s/compile_commands.json", build);
    write_text(path, db);

    /* Naming app/ leaves tools/wipe.c unchecked: passes, but says so. */
    run_result_t r = run_checker("--root", src, "-p", build, "--format", "json",
                                 joined(src, "app"), NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "1 of 2 compilation database entries outside the named "
                                  "paths was not checked"));
    cJSON *doc = cJSON_Parse(r.out);
    assert_int_equal(int_of(cJSON_GetObjectItemCaseSensitive(doc, "summary"),
                            "unchecked_entries"), 1);
    cJSON_Delete(doc);
    free(r.out);

    /* --require-all makes it a failure to analyse what was asked: exit 2. */
    r = run_checker("--root", src, "-p", build, "--require-all", joined(src, "app"), NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "error: 1 of 2 compilation database entries"));
    free(r.out);

    /* --only-named (tenantq_add_check's per-target gate): the named paths are the whole
     * gate, so the other entries get no note, and tools/wipe.c is still not checked. */
    r = run_checker("--root", src, "-p", build, "--only-named", "--format", "sarif",
                    joined(src, "app"), NULL);
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.err, "not checked"));
    assert_null(strstr(r.out, "not checked"));
    assert_null(strstr(r.out, "wipe.c"));
    free(r.out);
    r = run_checker("--root", src, "-p", build, "--only-named", joined(src, "tools"), NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "tools/wipe.c:2:"));
    assert_null(strstr(r.err, "not checked"));
    free(r.out);
    r = run_checker("--root", src, "-p", build, "--only-named", "--require-all",
                    joined(src, "app"), NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--require-all and --only-named contradict"));
    free(r.out);
    r = run_checker("--root", src, "-p", build, "--only-named", NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--only-named needs -p BUILD_DIR and the paths"));
    free(r.out);

    /* The whole database: the finding in tools/ shows. */
    r = run_checker("--root", src, "-p", build, "--require-all", NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "tools/wipe.c:2:"));
    assert_null(strstr(r.err, "not checked"));
    free(r.out);
}

/* ---- running before the build ------------------------------------------------------------ */

static void test_missing_generated_header_says_build_first(void **state)
{
    const char *path = tmp_path("early.c");
    write_text(path, "#include \"shop.tq.h\"\nint f(void);\nint f(void) { return 0; }\n");
    run_result_t r = run_checker("--root", tmp_root, path, "--", INC, NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "'shop.tq.h' file not found"));
    assert_non_null(strstr(r.err, "shop.tq.h is generated by tenantq-gen during the build"));
    assert_non_null(strstr(r.err, "generate-only target"));
    free(r.out);
}

/* ---- trust by identity -------------------------------------------------------------------- */

static void test_committed_manifest_is_not_trusted(void **state)
{
    /* The common bear/clangd layout: the database at the repository root (-p .). */
    const char *repo = tmp_path("gen-repo");
    stage_generated(repo, 1);
    write_db_for(repo, repo);
    const char *init[] = {"git", "init", "-q", repo, NULL};
    assert_int_equal(run_command(init), 0);
    run_result_t r = run_checker("--root", repo, "-p", repo, NULL);
    assert_int_equal(r.status, 0); /* untracked: the build wrote it */
    free(r.out);

    const char *add[] = {"git", "-C", repo, "add", "kb.tq.json", "kb.tq.c", "kb.tq.h", NULL};
    assert_int_equal(run_command(add), 0);
    r = run_checker("--root", repo, "-p", repo, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "kb.tq.c:1:1: error: file carries the tenantq-gen banner"));
    assert_non_null(strstr(r.err, "it is committed to the repository"));
    free(r.out);
}

static void test_shadow_contract_header_is_not_trusted(void **state)
{
    /* A tenantq/tenantq.h earlier on the include path than the real one. */
    char dir[4200];
    snprintf(dir, sizeof dir, "%s", tmp_path("shadow"));
    mkdir(dir, 0700);
    mkdir(joined(dir, "inc"), 0700);
    mkdir(joined(dir, "inc/tenantq"), 0700);
    write_text(joined(dir, "inc/tenantq/tenantq.h"),
               "typedef struct tenant_ctx tenant_ctx_t;\n"
               "int tq_raw_count(const tenant_ctx_t *ctx);\n"
               "static inline int fast_count(const tenant_ctx_t *c) { return tq_raw_count(c); }\n");
    write_text(joined(dir, "app.c"),
               "#include <tenantq/tenantq.h>\nint n(const tenant_ctx_t *c);\n"
               "int n(const tenant_ctx_t *c) { return fast_count(c); }\n");
    char shadow_inc[4300];
    snprintf(shadow_inc, sizeof shadow_inc, "-I%s/inc", dir);
    run_result_t r = run_checker("--root", dir, joined(dir, "app.c"), "--", shadow_inc, INC, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "inc/tenantq/tenantq.h:1:1: error: file sits where the "
                                  "tenantq runtime's 'include/tenantq/tenantq.h' would"));
    assert_non_null(strstr(r.out, "inc/tenantq/tenantq.h:2:"));
    assert_non_null(strstr(r.out, "inc/tenantq/tenantq.h:3:"));
    free(r.out);

    /* A byte-identical copy of the real header is the runtime's, wherever it lies. */
    copy_file(TQC_RUNTIME_INCLUDE "/tenantq/tenantq.h", joined(dir, "inc/tenantq/tenantq.h"));
    write_text(joined(dir, "app.c"),
               "#include <tenantq/tenantq.h>\nint n(void);\nint n(void) { return TQ_OK; }\n");
    r = run_checker("--root", dir, joined(dir, "app.c"), "--", shadow_inc, INC, NULL);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "");
    free(r.out);
}

int main(void)
{
    snprintf(tmp_root, sizeof tmp_root, "%s/checker-cli-XXXXXX", TQC_TMPDIR);
    if (!mkdtemp(tmp_root)) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exit_clean_is_0),
        cmocka_unit_test(test_exit_findings_is_1),
        cmocka_unit_test(test_exit_parse_error_is_2_even_with_findings),
        cmocka_unit_test(test_exit_missing_file_is_2),
        cmocka_unit_test(test_exit_bad_arguments_is_2),
        cmocka_unit_test(test_gcc_only_arguments_are_ignored),
        cmocka_unit_test(test_exit_no_database_is_2),
        cmocka_unit_test(test_exit_bad_manifest_is_2),
        cmocka_unit_test(test_json_reports_every_finding_with_suppression_state),
        cmocka_unit_test(test_fingerprint_survives_moved_lines),
        cmocka_unit_test(test_baseline_accepts_known_and_reports_new),
        cmocka_unit_test(test_sarif_has_what_code_scanning_reads),
        cmocka_unit_test(test_compdb_command_and_arguments_forms),
        cmocka_unit_test(test_output_file),
        cmocka_unit_test(test_manifest_exempts_generated_code),
        cmocka_unit_test(test_manifest_rejects_edited_file),
        cmocka_unit_test(test_manifest_discovered_only_in_build_dir),
        cmocka_unit_test(test_gitlab_code_quality_report),
        cmocka_unit_test(test_path_filter_reports_unchecked_entries),
        cmocka_unit_test(test_missing_generated_header_says_build_first),
        cmocka_unit_test(test_committed_manifest_is_not_trusted),
        cmocka_unit_test(test_shadow_contract_header_is_not_trusted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

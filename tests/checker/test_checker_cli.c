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
 * captured, stderr discarded. */
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

    char out_path[4200];
    snprintf(out_path, sizeof out_path, "%s/stdout.txt", tmp_root);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int null = open("/dev/null", O_WRONLY);
        if (fd < 0 || null < 0 || dup2(fd, 1) < 0 || dup2(null, 2) < 0) {
            _exit(127);
        }
        execv(TQC_CHECKER, (char *const *)argv);
        _exit(127);
    }
    int wstatus = 0;
    assert_int_equal(waitpid(pid, &wstatus, 0), pid);
    assert_true(WIFEXITED(wstatus));
    run_result_t r = {WEXITSTATUS(wstatus), read_text(out_path)};
    return r;
}

/* base/rel in one of 16 rotating buffers (enough for one checker invocation). */
static char *joined(const char *base, const char *rel)
{
    static char buf[16][4200];
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

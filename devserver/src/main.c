/* main.c: the tenantq-devserver command line.
 *
 * Reads flags and Qdrant's QDRANT__SERVICE__* environment variables (flags win),
 * starts the HTTP server, prints exactly one line "listening on http://HOST:PORT" on
 * stdout, then waits for SIGINT or SIGTERM, stops accepting requests, saves the
 * snapshot if one is configured and exits 0. SIGINT/SIGTERM are blocked in every
 * thread and taken with sigwait, so no handler runs in signal context.
 */
#include "http.h"
#include "server.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: tenantq-devserver [options]\n"
    "\n"
    "An in-memory server speaking Qdrant 1.19's REST API (a subset; exact search).\n"
    "\n"
    "  --host HOST             address to bind (default 127.0.0.1)\n"
    "  --port N                port (default 6333, or QDRANT__SERVICE__HTTP_PORT; 0 = any free)\n"
    "  --api-key KEY           require this api key (QDRANT__SERVICE__API_KEY)\n"
    "  --read-only-api-key KEY read-only key (QDRANT__SERVICE__READ_ONLY_API_KEY)\n"
    "  --jwt-rbac              accept HS256 JWTs signed with the api key\n"
    "                          (QDRANT__SERVICE__JWT_RBAC=true)\n"
    "  --cluster-mode          enable shard keys and /cluster (custom sharding)\n"
    "  --snapshot FILE         load FILE at start if present, save it on SIGINT/SIGTERM\n"
    "  --request-log FILE      append one JSON line per request to FILE\n"
    "  --max-body-bytes N      request body limit (default 33554432)\n"
    "  --max-workers N         threads serving connections (QDRANT__SERVICE__MAX_WORKERS;\n"
    "                          default 0 = one less than the cores, at least 1, as Qdrant)\n"
    "  --fault-rate P          answer this share of /points requests with 503\n"
    "  --fault-drop P          close this share of /points connections without answering\n"
    "  --fault-delay-ms N      delay every /points request by N ms\n"
    "  --fault-seed S          seed for the fault generator\n"
    "  --help                  show this help\n"
    "  --version               show the version\n";

static int fail(const char *what, const char *arg)
{
    fprintf(stderr, "tenantq-devserver: error: %s%s%s\n", what, arg ? ": " : "", arg ? arg : "");
    return 2;
}

static int parse_unit(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !*s || v < 0 || v > 1)
        return 0;
    *out = v;
    return 1;
}

static int parse_ulong(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || !*s || s[0] == '-' || v > max)
        return 0;
    *out = v;
    return 1;
}

static int truthy(const char *s)
{
    return s && (strcmp(s, "true") == 0 || strcmp(s, "1") == 0 || strcmp(s, "yes") == 0);
}

int main(int argc, char **argv)
{
    ds_config_t cfg = {0};
    const char *host = "127.0.0.1";
    unsigned long long port = 6333, tmp;
    const char *env = getenv("QDRANT__SERVICE__HTTP_PORT");
    if (env && !parse_ulong(env, 65535, &port))
        return fail("invalid QDRANT__SERVICE__HTTP_PORT", env);
    cfg.api_key = getenv("QDRANT__SERVICE__API_KEY");
    cfg.read_only_api_key = getenv("QDRANT__SERVICE__READ_ONLY_API_KEY");
    cfg.jwt_rbac = truthy(getenv("QDRANT__SERVICE__JWT_RBAC"));
    unsigned long long workers = 0;
    env = getenv("QDRANT__SERVICE__MAX_WORKERS");
    if (env && !parse_ulong(env, 1024, &workers))
        return fail("invalid QDRANT__SERVICE__MAX_WORKERS (0..1024)", env);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if (strcmp(a, "--version") == 0) {
            printf("tenantq-devserver %s\n", TQ_DEVSERVER_VERSION);
            return 0;
        }
        if (strcmp(a, "--jwt-rbac") == 0) {
            cfg.jwt_rbac = 1;
            continue;
        }
        if (strcmp(a, "--cluster-mode") == 0) {
            cfg.cluster_mode = 1;
            continue;
        }
        if (!v)
            return fail("missing value or unknown option", a);
        i++;
        if (strcmp(a, "--host") == 0) {
            host = v;
        } else if (strcmp(a, "--port") == 0) {
            if (!parse_ulong(v, 65535, &port))
                return fail("invalid --port", v);
        } else if (strcmp(a, "--api-key") == 0) {
            cfg.api_key = v;
        } else if (strcmp(a, "--read-only-api-key") == 0) {
            cfg.read_only_api_key = v;
        } else if (strcmp(a, "--snapshot") == 0) {
            cfg.snapshot = v;
        } else if (strcmp(a, "--request-log") == 0) {
            cfg.request_log = v;
        } else if (strcmp(a, "--max-body-bytes") == 0) {
            if (!parse_ulong(v, 1ull << 32, &tmp) || tmp < 1024)
                return fail("invalid --max-body-bytes (1024..4294967296)", v);
            cfg.max_body = (size_t)tmp;
        } else if (strcmp(a, "--max-workers") == 0) {
            if (!parse_ulong(v, 1024, &workers))
                return fail("invalid --max-workers (0..1024)", v);
        } else if (strcmp(a, "--fault-rate") == 0) {
            if (!parse_unit(v, &cfg.fault_rate))
                return fail("invalid --fault-rate (0..1)", v);
        } else if (strcmp(a, "--fault-drop") == 0) {
            if (!parse_unit(v, &cfg.fault_drop))
                return fail("invalid --fault-drop (0..1)", v);
        } else if (strcmp(a, "--fault-delay-ms") == 0) {
            if (!parse_ulong(v, 600000, &tmp))
                return fail("invalid --fault-delay-ms", v);
            cfg.fault_delay_ms = (int)tmp;
        } else if (strcmp(a, "--fault-seed") == 0) {
            if (!parse_ulong(v, ~0ull, &tmp))
                return fail("invalid --fault-seed", v);
            cfg.fault_seed = tmp;
        } else {
            return fail("unknown option", a);
        }
    }
    if (cfg.jwt_rbac && !(cfg.api_key && *cfg.api_key))
        return fail("--jwt-rbac needs an api key (--api-key or QDRANT__SERVICE__API_KEY)", NULL);

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    char err[512] = "";
    ds_server_t *server = ds_server_new(&cfg, err, sizeof err);
    if (!server) {
        fprintf(stderr, "tenantq-devserver: error: %s\n", err);
        return 1;
    }
    if (workers == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        workers = cores > 2 ? (unsigned long long)cores - 1 : 1;
    }
    ds_http_t *http = ds_http_start(server, host, (unsigned)port, (unsigned)workers, err, sizeof err);
    if (!http) {
        fprintf(stderr, "tenantq-devserver: error: %s\n", err);
        ds_server_free(server);
        return 1;
    }
    int v6 = strchr(host, ':') != NULL;
    printf("listening on http://%s%s%s:%u\n", v6 ? "[" : "", host, v6 ? "]" : "",
           ds_http_port(http));
    fflush(stdout);
    int sig = 0;
    while (sigwait(&set, &sig) != 0)
        ;
    ds_http_stop(http);
    int rc = 0;
    if (ds_server_save(server, err, sizeof err) != 0) {
        fprintf(stderr, "tenantq-devserver: error: %s\n", err);
        rc = 1;
    }
    ds_server_free(server);
    return rc;
}

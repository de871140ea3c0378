/* devserver_request.c: libFuzzer target over the devserver's request dispatcher.
 *
 * Each input is a sequence of requests separated by NUL bytes; a request is
 * "METHOD PATH[?QUERY]\n" followed by its body. A fresh server (api key, read-only key
 * and JWT RBAC on) is prepared with a collection, a tenant index and a few points, so
 * the point, filter and search paths are reachable; then the input's requests run
 * through ds_handle() exactly as the HTTP layer would call it. Header variants are
 * chosen by the first byte. A request whose first line has no space is a raw body,
 * sent to the endpoint its first byte picks from `targets`, so mutations reach the
 * JSON handlers without having to find a valid request line first. The collection `h`
 * (dense, idf-sparse and plain sparse vectors, a text index, metadata) reaches the
 * sparse, prefetch, fusion, groups, full-text and metadata parsers; the seed corpus
 * (devserver_request_corpus/) starts from valid requests of each. The server is freed
 * per input, so leaks are reported.
 */
#include "server.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define API_KEY "fuzz-key"

static const char *const setup[][3] = {
    {"PUT", "/collections/c", "{\"vectors\":{\"size\":4,\"distance\":\"Cosine\"}}"},
    {"PUT", "/collections/n",
     "{\"vectors\":{\"a\":{\"size\":2,\"distance\":\"Euclid\"},\"b\":{\"size\":3,\"distance\":"
     "\"Dot\"}}}"},
    {"PUT", "/collections/c/index",
     "{\"field_name\":\"tq_tenant\",\"field_schema\":{\"type\":\"keyword\",\"is_tenant\":true}}"},
    {"PUT", "/collections/c/points",
     "{\"points\":[{\"id\":1,\"vector\":[1,0,0,0],\"payload\":{\"tq_tenant\":\"a\",\"n\":[1,2],"
     "\"t\":\"2024-01-01T00:00:00Z\"}},{\"id\":\"936DA01F9ABD4D9D80C702AF85C822A8\",\"vector\":"
     "[0,1,0,0],\"payload\":{\"tq_tenant\":\"b\",\"o\":{\"k\":null}}}]}"},
    {"PUT", "/collections/n/points",
     "{\"batch\":{\"ids\":[5,6],\"vectors\":{\"a\":[[1,2],[3,4]]},\"payloads\":[{\"x\":1},null]}}"},
    /* hybrid: a dense and an idf sparse vector, a text index, metadata */
    {"PUT", "/collections/h",
     "{\"vectors\":{\"d\":{\"size\":2,\"distance\":\"Dot\"}},\"sparse_vectors\":{\"s\":"
     "{\"modifier\":\"idf\"},\"p\":{}},\"metadata\":{\"a\":1}}"},
    {"PUT", "/collections/h/index",
     "{\"field_name\":\"body\",\"field_schema\":{\"type\":\"text\",\"tokenizer\":\"word\"}}"},
    {"PUT", "/collections/h/points",
     "{\"points\":[{\"id\":1,\"vector\":{\"d\":[1,0],\"s\":{\"indices\":[3,1],\"values\":"
     "[0.5,1]}},\"payload\":{\"t\":\"a\",\"doc\":\"x\",\"body\":\"Disk full E-1\"}},"
     "{\"id\":2,\"vector\":{\"d\":[0,1],\"p\":{\"indices\":[1],\"values\":[2]}},"
     "\"payload\":{\"t\":\"b\",\"doc\":7}}]}"},
};

/* Authorization variants picked by the first input byte. */
static const char *const auth_values[] = {
    NULL,
    "Bearer " API_KEY,
    "Bearer "
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJhY2Nlc3MiOlt7ImNvbGxlY3Rpb24iOiJjIiwiYWNjZXNzIjoiciJ9XX0.x",
    "Basic abc",
};

static const char *const targets[][2] = {
    {"POST", "/collections/c/points/query"},
    {"PUT", "/collections/c/points"},
    {"POST", "/collections/c/points/scroll"},
    {"POST", "/collections/c/points/count"},
    {"POST", "/collections/c/points/delete"},
    {"POST", "/collections/c/points"},
    {"POST", "/collections/n/points/search"},
    {"POST", "/collections/n/points/query/batch"},
    {"PUT", "/collections/x"},
    {"PUT", "/collections/c/index"},
    {"PUT", "/collections/c/shards"},
    {"POST", "/collections/c/cluster"},
    {"POST", "/collections/h/points/query"},
    {"POST", "/collections/h/points/query/groups"},
    {"PUT", "/collections/h/points"},
    {"PATCH", "/collections/h"},
    {"PUT", "/collections/y"},
    {"POST", "/collections/h/points/count"},
};

static void run(ds_server_t *s, const char *method, const char *path, const char *query,
                const char *api_key, const char *auth, const char *body, size_t len)
{
    ds_request_t req = {.method = method,
                        .path = path,
                        .query = query,
                        .api_key = api_key,
                        .authorization = auth,
                        .body = body,
                        .body_len = len};
    ds_response_t resp;
    ds_handle(s, &req, &resp);
    ds_response_clear(&resp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ds_config_t cfg = {.api_key = API_KEY,
                       .read_only_api_key = "ro-key",
                       .jwt_rbac = 1,
                       .cluster_mode = 1,
                       .max_body = 1u << 20};
    char err[256];
    ds_server_t *s = ds_server_new(&cfg, err, sizeof err);
    if (!s)
        return 0;
    for (size_t i = 0; i < sizeof setup / sizeof setup[0]; i++)
        run(s, setup[i][0], setup[i][1], "wait=true", API_KEY, NULL, setup[i][2],
            strlen(setup[i][2]));
    unsigned variant = size ? data[0] : 0;
    const char *api_key = (variant & 4) ? NULL : (variant & 8) ? "ro-key" : API_KEY;
    const char *auth = auth_values[variant & 3];
    size_t pos = size ? 1 : 0;
    int budget = 16;
    while (pos < size && budget-- > 0) {
        const uint8_t *end = memchr(data + pos, 0, size - pos);
        size_t len = end ? (size_t)(end - (data + pos)) : size - pos;
        const char *req = (const char *)data + pos;
        const char *nl = memchr(req, '\n', len);
        size_t line_len = nl ? (size_t)(nl - req) : len;
        char line[512];
        if (line_len < sizeof line) {
            memcpy(line, req, line_len);
            line[line_len] = '\0';
            char *space = strchr(line, ' ');
            if (!space && len > 0) {
                size_t pick = (unsigned char)req[0] % (sizeof targets / sizeof targets[0]);
                const char *const *t = targets[pick];
                run(s, t[0], t[1], NULL, api_key, auth, req + 1, len - 1);
            } else if (space) {
                *space = '\0';
                char *path = space + 1;
                char *q = strchr(path, '?');
                if (q)
                    *q++ = '\0';
                const char *body = nl ? nl + 1 : "";
                size_t body_len = nl ? len - line_len - 1 : 0;
                run(s, line, path, q, api_key, auth, body, body_len);
            }
        }
        pos += len + 1;
    }
    ds_server_free(s);
    return 0;
}

/* server.h: the socket-free request dispatcher of tenantq-devserver.
 * ds_handle() takes one parsed HTTP request and returns the full response, so the
 * HTTP glue, the fuzzer and the benchmark all run the same code. */
#ifndef DS_SERVER_H
#define DS_SERVER_H

#include <stddef.h>
#include <stdint.h>

#define DS_DEFAULT_MAX_BODY (32u * 1024u * 1024u)

typedef struct ds_config {
    const char *api_key; /* NULL or "" = none */
    const char *read_only_api_key;
    int jwt_rbac;
    int cluster_mode;
    double fault_rate; /* share of point requests answered 503 */
    double fault_drop; /* share of point requests dropped */
    int fault_delay_ms;
    uint64_t fault_seed;
    const char *request_log; /* path or NULL */
    const char *snapshot;    /* path or NULL */
    size_t max_body;         /* bytes; 0 = DS_DEFAULT_MAX_BODY */
} ds_config_t;

typedef struct ds_request {
    const char *method;
    const char *path;          /* decoded path, no query */
    const char *query;         /* "k=v&k2=v2" with %-escapes, or NULL */
    const char *api_key;       /* header api-key, or NULL */
    const char *authorization; /* header Authorization, or NULL */
    const char *body;
    size_t body_len;
    int body_too_large; /* the transport stopped reading at max_body */
} ds_request_t;

typedef struct ds_response {
    int status;
    int drop;                 /* close the connection without answering */
    const char *content_type; /* static string */
    char *body;               /* malloc'd; free with ds_response_clear */
    size_t body_len;
} ds_response_t;

typedef struct ds_server ds_server_t;

/* Creates a server; loads the snapshot when configured and present. NULL with a
 * message in err on failure. The config strings must outlive the server. */
ds_server_t *ds_server_new(const ds_config_t *config, char *err, size_t errlen);
/* Saves the snapshot when configured; 0 on success, -1 with a message in err. */
int ds_server_save(ds_server_t *server, char *err, size_t errlen);
void ds_server_free(ds_server_t *server);
size_t ds_server_max_body(const ds_server_t *server);

/* Handles one request; thread-safe. The response must be released with
 * ds_response_clear. */
void ds_handle(ds_server_t *server, const ds_request_t *request, ds_response_t *response);
void ds_response_clear(ds_response_t *response);

#endif

/* http.c: the thin libmicrohttpd layer.
 *
 * It accumulates each request body up to the server's limit (beyond that the rest is
 * discarded and the dispatcher answers 413), rebuilds the query string with escapes,
 * picks out the api-key and Authorization headers, and hands everything to
 * ds_handle(). A dropped response (fault injection) returns MHD_NO, which closes the
 * connection without an answer. No request logic lives here.
 */
#include "http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define MAX_QUERY_LEN 8192

#if MHD_VERSION >= 0x00097002
typedef enum MHD_Result mhd_result_t;
#else
typedef int mhd_result_t;
#endif

struct ds_http {
    struct MHD_Daemon *daemon;
    ds_server_t *server;
    unsigned port;
};

typedef struct conn_state {
    char *body;
    size_t len, cap;
    int too_large;
} conn_state_t;

typedef struct query_buf {
    char buf[MAX_QUERY_LEN];
    size_t len;
    int overflow;
} query_buf_t;

static void put_escaped(query_buf_t *q, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        int plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || strchr("-_.~:,", ch);
        if (q->len + 4 >= sizeof q->buf) {
            q->overflow = 1;
            return;
        }
        if (plain) {
            q->buf[q->len++] = (char)ch;
        } else {
            q->buf[q->len++] = '%';
            q->buf[q->len++] = hex[ch >> 4];
            q->buf[q->len++] = hex[ch & 15];
        }
    }
}

static mhd_result_t add_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    query_buf_t *q = cls;
    (void)kind;
    if (q->len && q->len + 1 < sizeof q->buf)
        q->buf[q->len++] = '&';
    put_escaped(q, key);
    if (value) {
        if (q->len + 1 < sizeof q->buf)
            q->buf[q->len++] = '=';
        put_escaped(q, value);
    }
    q->buf[q->len < sizeof q->buf ? q->len : sizeof q->buf - 1] = '\0';
    return MHD_YES;
}

static mhd_result_t on_request(void *cls, struct MHD_Connection *conn, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **con_cls)
{
    ds_http_t *http = cls;
    (void)version;
    conn_state_t *st = *con_cls;
    if (!st) {
        st = calloc(1, sizeof *st);
        if (!st)
            return MHD_NO;
        *con_cls = st;
        return MHD_YES;
    }
    if (*upload_size) {
        size_t limit = ds_server_max_body(http->server);
        size_t n = *upload_size;
        if (!st->too_large && st->len + n > limit) {
            st->too_large = 1;
            free(st->body);
            st->body = NULL;
            st->len = st->cap = 0;
        }
        if (!st->too_large) {
            if (st->len + n > st->cap) {
                size_t cap = st->cap ? st->cap : 4096;
                while (cap < st->len + n)
                    cap *= 2;
                char *b = realloc(st->body, cap);
                if (!b)
                    return MHD_NO;
                st->body = b;
                st->cap = cap;
            }
            memcpy(st->body + st->len, upload, n);
            st->len += n;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    query_buf_t q = {.len = 0};
    q.buf[0] = '\0';
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_arg, &q);
    ds_request_t req = {
        .method = method,
        .path = url,
        .query = q.len ? q.buf : NULL,
        .api_key = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "api-key"),
        .authorization = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization"),
        .body = st->body ? st->body : "",
        .body_len = st->len,
        .body_too_large = st->too_large,
    };
    ds_response_t resp;
    ds_handle(http->server, &req, &resp);
    if (resp.drop) {
        ds_response_clear(&resp);
        return MHD_NO;
    }
    struct MHD_Response *r =
        MHD_create_response_from_buffer(resp.body_len, resp.body ? resp.body : (void *)"",
                                        resp.body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!r) {
        ds_response_clear(&resp);
        return MHD_NO;
    }
    resp.body = NULL;
    if (resp.content_type)
        MHD_add_response_header(r, "Content-Type", resp.content_type);
    mhd_result_t ret = MHD_queue_response(conn, (unsigned)resp.status, r);
    MHD_destroy_response(r);
    ds_response_clear(&resp);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode code)
{
    conn_state_t *st = *con_cls;
    (void)cls;
    (void)conn;
    (void)code;
    if (st) {
        free(st->body);
        free(st);
        *con_cls = NULL;
    }
}

ds_http_t *ds_http_start(ds_server_t *server, const char *host, unsigned port, unsigned workers,
                         char *err, size_t errlen)
{
    struct addrinfo hints = {0}, *ai = NULL;
    char portbuf[16];
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
    snprintf(portbuf, sizeof portbuf, "%u", port);
    int gai = getaddrinfo(host, portbuf, &hints, &ai);
    if (gai != 0) {
        snprintf(err, errlen, "cannot resolve host %s: %s", host, gai_strerror(gai));
        return NULL;
    }
    ds_http_t *http = calloc(1, sizeof *http);
    if (!http) {
        freeaddrinfo(ai);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    http->server = server;
    /* A fixed pool of worker threads, each multiplexing its connections (epoll), as
     * Qdrant's actix-web server does; one thread per connection would make a client
     * that keeps a connection per tenant wake a different, cold thread on every
     * request, a cost no real Qdrant charges (docs/devserver.md, "Workers"). */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    http->daemon = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, http,
                                    MHD_OPTION_SOCK_ADDR, ai->ai_addr, MHD_OPTION_NOTIFY_COMPLETED,
                                    on_completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT, 120u,
                                    MHD_OPTION_CONNECTION_LIMIT, 512u,
                                    MHD_OPTION_THREAD_POOL_SIZE, workers, MHD_OPTION_END);
    freeaddrinfo(ai);
    if (!http->daemon) {
        snprintf(err, errlen, "cannot listen on %s:%u", host, port);
        free(http);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(http->daemon, MHD_DAEMON_INFO_LISTEN_FD);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    http->port = port;
    if (info && getsockname(info->listen_fd, (struct sockaddr *)&ss, &sl) == 0) {
        if (ss.ss_family == AF_INET)
            http->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
        else if (ss.ss_family == AF_INET6)
            http->port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    }
    return http;
}

unsigned ds_http_port(const ds_http_t *http)
{
    return http->port;
}

void ds_http_stop(ds_http_t *http)
{
    if (!http)
        return;
    MHD_stop_daemon(http->daemon);
    free(http);
}

/* http_fixture.c: a scripted libmicrohttpd server for the runtime's transport tests.
 * It answers each request with the next scripted step and logs what it received. */
#include "http_fixture.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct fixture {
    struct MHD_Daemon *daemon;
    char *cert_pem, *key_pem;
    char url[64];
    pthread_mutex_t lock;
    fixture_step_t steps[FIXTURE_MAX_STEPS];
    size_t step_count, next_step;
    fixture_step_t fallback;
    fixture_request_t requests[FIXTURE_MAX_REQUESTS];
    size_t request_count;
    size_t connections;
};

typedef struct upload {
    char *data;
    size_t len;
} upload_t;

/* An update answer Qdrant gives to a wait=true write; other callers ignore "result". */
static const char default_body[] =
    "{\"result\":{\"operation_id\":0,\"status\":\"completed\"},\"status\":\"ok\",\"time\":0}";

static void copy_header(struct MHD_Connection *c, const char *name, char *out, size_t cap)
{
    const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
    snprintf(out, cap, "%s", v ? v : "");
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *data,
                              size_t *data_size, void **con_cls)
{
    fixture_t *f = cls;
    upload_t *up = *con_cls;
    (void)version;
    if (!up) {
        up = calloc(1, sizeof *up);
        *con_cls = up;
        return up ? MHD_YES : MHD_NO;
    }
    if (*data_size) {
        char *bigger = realloc(up->data, up->len + *data_size + 1);
        if (!bigger)
            return MHD_NO;
        up->data = bigger;
        memcpy(up->data + up->len, data, *data_size);
        up->len += *data_size;
        up->data[up->len] = '\0';
        *data_size = 0;
        return MHD_YES;
    }
    pthread_mutex_lock(&f->lock);
    fixture_step_t step =
        f->next_step < f->step_count ? f->steps[f->next_step++] : f->fallback;
    if (f->request_count < FIXTURE_MAX_REQUESTS) {
        fixture_request_t *r = &f->requests[f->request_count++];
        memset(r, 0, sizeof *r);
        snprintf(r->method, sizeof r->method, "%s", method);
        const char *query = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "wait");
        snprintf(r->url, sizeof r->url, "%s%s%s", url, query ? "?wait=" : "", query ? query : "");
        copy_header(c, "api-key", r->api_key, sizeof r->api_key);
        copy_header(c, "Authorization", r->authorization, sizeof r->authorization);
        r->body = up->data ? strdup(up->data) : NULL;
    }
    pthread_mutex_unlock(&f->lock);
    if (step.delay_ms > 0) {
        struct timespec ts = {step.delay_ms / 1000, (long)(step.delay_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (step.status == 0)
        return MHD_NO; /* drop the connection */
    const char *body = step.body ? step.body : default_body;
    struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(body), (void *)body,
                                                                MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(resp, "Content-Type", "application/json");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)step.status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode code)
{
    upload_t *up = *con_cls;
    (void)cls, (void)c, (void)code;
    if (up) {
        free(up->data);
        free(up);
        *con_cls = NULL;
    }
}

static void notify(void *cls, struct MHD_Connection *c, void **socket_context,
                   enum MHD_ConnectionNotificationCode code)
{
    fixture_t *f = cls;
    (void)c, (void)socket_context;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        pthread_mutex_lock(&f->lock);
        f->connections++;
        pthread_mutex_unlock(&f->lock);
    }
}

fixture_t *fixture_start_tls(const char *cert_pem, const char *key_pem)
{
    fixture_t *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    pthread_mutex_init(&f->lock, NULL);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = 0;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION;
    if (cert_pem) {
        f->cert_pem = strdup(cert_pem);
        f->key_pem = strdup(key_pem);
        flags |= MHD_USE_TLS;
    }
    if (cert_pem)
        f->daemon = MHD_start_daemon(flags, 0, NULL, NULL, handle, f, MHD_OPTION_SOCK_ADDR, &addr,
                                     MHD_OPTION_NOTIFY_COMPLETED, completed, f,
                                     MHD_OPTION_NOTIFY_CONNECTION, notify, f,
                                     MHD_OPTION_CONNECTION_TIMEOUT, 30u,
                                     MHD_OPTION_HTTPS_MEM_CERT, f->cert_pem,
                                     MHD_OPTION_HTTPS_MEM_KEY, f->key_pem, MHD_OPTION_END);
    else
        f->daemon = MHD_start_daemon(flags, 0, NULL, NULL, handle, f, MHD_OPTION_SOCK_ADDR, &addr,
                                     MHD_OPTION_NOTIFY_COMPLETED, completed, f,
                                     MHD_OPTION_NOTIFY_CONNECTION, notify, f,
                                     MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
    if (!f->daemon) {
        free(f->cert_pem);
        free(f->key_pem);
        free(f);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(f->daemon, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(f->url, sizeof f->url, "%s://127.0.0.1:%u", cert_pem ? "https" : "http",
             (unsigned)info->port);
    return f;
}

fixture_t *fixture_start(void)
{
    return fixture_start_tls(NULL, NULL);
}

static char *bio_text(BIO *bio)
{
    char *data = NULL;
    long n = BIO_get_mem_data(bio, &data);
    char *out = malloc((size_t)n + 1);
    if (out) {
        memcpy(out, data, (size_t)n);
        out[n] = '\0';
    }
    return out;
}

int fixture_make_cert(char **cert_pem, char **key_pem)
{
    int rc = -1;
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *x = X509_new();
    BIO *cb = BIO_new(BIO_s_mem()), *kb = BIO_new(BIO_s_mem());
    X509_EXTENSION *san = NULL;
    if (!key || !x || !cb || !kb)
        goto cleanup;
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_set_pubkey(x, key);
    X509_NAME *name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"127.0.0.1", -1,
                               -1, 0);
    X509_set_issuer_name(x, name);
    san = X509V3_EXT_conf_nid(NULL, NULL, NID_subject_alt_name, "IP:127.0.0.1");
    if (!san || !X509_add_ext(x, san, -1) || !X509_sign(x, key, EVP_sha256()))
        goto cleanup;
    if (!PEM_write_bio_X509(cb, x) ||
        !PEM_write_bio_PrivateKey(kb, key, NULL, NULL, 0, NULL, NULL))
        goto cleanup;
    *cert_pem = bio_text(cb);
    *key_pem = bio_text(kb);
    rc = (*cert_pem && *key_pem) ? 0 : -1;
cleanup:
    X509_EXTENSION_free(san);
    BIO_free(cb);
    BIO_free(kb);
    X509_free(x);
    EVP_PKEY_free(key);
    return rc;
}

static void clear_log(fixture_t *f)
{
    for (size_t i = 0; i < f->request_count; i++)
        free(f->requests[i].body);
    f->request_count = 0;
}

void fixture_stop(fixture_t *f)
{
    if (!f)
        return;
    MHD_stop_daemon(f->daemon);
    clear_log(f);
    pthread_mutex_destroy(&f->lock);
    free(f->cert_pem);
    free(f->key_pem);
    free(f);
}

const char *fixture_url(const fixture_t *f)
{
    return f->url;
}

void fixture_script(fixture_t *f, const fixture_step_t *steps, size_t count,
                    const fixture_step_t *fallback)
{
    pthread_mutex_lock(&f->lock);
    clear_log(f);
    f->step_count = count < FIXTURE_MAX_STEPS ? count : FIXTURE_MAX_STEPS;
    if (f->step_count)
        memcpy(f->steps, steps, f->step_count * sizeof *steps);
    f->next_step = 0;
    f->fallback = fallback ? *fallback : (fixture_step_t){200, NULL, 0};
    pthread_mutex_unlock(&f->lock);
}

size_t fixture_request_count(fixture_t *f)
{
    pthread_mutex_lock(&f->lock);
    size_t n = f->request_count;
    pthread_mutex_unlock(&f->lock);
    return n;
}

fixture_request_t fixture_request(fixture_t *f, size_t i)
{
    pthread_mutex_lock(&f->lock);
    fixture_request_t r = f->requests[i];
    pthread_mutex_unlock(&f->lock);
    return r;
}

size_t fixture_connections(fixture_t *f)
{
    pthread_mutex_lock(&f->lock);
    size_t n = f->connections;
    pthread_mutex_unlock(&f->lock);
    return n;
}

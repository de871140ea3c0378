/* dt_http.c: the HTTP client of the devserver tests, a thin libcurl wrapper.
 *
 * One easy handle per request and no connection reuse, so every request is a fresh
 * connection exactly as the table describes it. It must never follow redirects, never
 * add headers the case did not ask for (besides curl's Host/Accept and the JSON
 * Content-Type for a body), and never keep more than DT_HTTP_MAX_BODY bytes. */
#include "dt_http.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct sink {
    char *buf;
    size_t len;
    size_t cap;
    char content_type[128];
} sink_t;

static size_t on_body(char *data, size_t size, size_t nmemb, void *userp) {
    sink_t *s = userp;
    size_t n = size * nmemb;
    if (s->len + n + 1 > DT_HTTP_MAX_BODY) return 0;
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + n + 1) cap *= 2;
        char *grown = realloc(s->buf, cap);
        if (!grown) return 0;
        s->buf = grown;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, data, n);
    s->len += n;
    s->buf[s->len] = '\0';
    return n;
}

/* Keeps the value of the last Content-Type header (curl passes each header line). */
static size_t on_header(char *data, size_t size, size_t nmemb, void *userp) {
    sink_t *s = userp;
    size_t n = size * nmemb;
    static const char name[] = "content-type:";
    size_t nl = sizeof name - 1;
    if (n > nl && strncasecmp(data, name, nl) == 0) {
        size_t i = nl;
        while (i < n && (data[i] == ' ' || data[i] == '\t')) i++;
        size_t end = n;
        while (end > i && (data[end - 1] == '\r' || data[end - 1] == '\n')) end--;
        size_t vlen = end - i;
        if (vlen >= sizeof s->content_type) vlen = sizeof s->content_type - 1;
        memcpy(s->content_type, data + i, vlen);
        s->content_type[vlen] = '\0';
    }
    return n;
}

static int has_header(const char *const *headers, const char *name) {
    size_t nl = strlen(name);
    for (size_t i = 0; headers && headers[i]; i++)
        if (strncasecmp(headers[i], name, nl) == 0 && headers[i][nl] == ':') return 1;
    return 0;
}

int dt_http(const char *method, const char *url, const char *const *headers,
            const char *body, size_t body_len, dt_response_t *out) {
    memset(out, 0, sizeof *out);
    sink_t sink = {0};
    struct curl_slist *list = NULL;
    int rc = -1;
    CURL *curl = curl_easy_init();
    if (!curl) {
        out->curl_rc = CURLE_FAILED_INIT;
        goto done;
    }
    for (size_t i = 0; headers && headers[i]; i++) list = curl_slist_append(list, headers[i]);
    if (body && !has_header(headers, "Content-Type"))
        list = curl_slist_append(list, "Content-Type: application/json");
    list = curl_slist_append(list, "Expect:");
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &sink);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L);
    if (body) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    } else if (strcmp(method, "HEAD") == 0) {
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    }
    CURLcode res = curl_easy_perform(curl);
    out->curl_rc = (int)res;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
    if (res == CURLE_OK) rc = 0;
done:
    if (!sink.buf) sink.buf = calloc(1, 1);
    out->body = sink.buf;
    out->len = sink.buf ? sink.len : 0;
    memcpy(out->content_type, sink.content_type, sizeof out->content_type);
    curl_slist_free_all(list);
    if (curl) curl_easy_cleanup(curl);
    return rc;
}

void dt_response_free(dt_response_t *out) {
    free(out->body);
    memset(out, 0, sizeof *out);
}

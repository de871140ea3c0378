/* journal.h: the record of an unfinished migration, kept beside the registry. */
#ifndef TQ_ADMIN_JOURNAL_H
#define TQ_ADMIN_JOURNAL_H

#include "regedit.h"

#include <tenantq/raw.h>

#include <stdint.h>

/* The steps of a migration, in order. The journal names the last step completed. */
typedef enum adm_step {
    ADM_STEP_BEGUN = 0,    /* journal written, nothing done on any server */
    ADM_STEP_PREPARED = 1, /* target collections and indexes exist */
    ADM_STEP_COPIED = 2,   /* every source point upserted into the target */
    ADM_STEP_VERIFIED = 3, /* target ids, payload and vector digests equal the source's */
    ADM_STEP_SWITCHED = 4, /* the registry names the target */
    ADM_STEP_DELETED = 5,  /* the source deleted */
    ADM_STEP_DONE = 6,     /* the source verified empty; the journal is then removed */
    ADM_STEP_LAST
} adm_step_t;

/* "begun", "prepared", ...; NULL when out of range. */
const char *adm_step_name(adm_step_t step);

/* Parses a step name; -1 when unknown. */
int adm_step_parse(const char *name);

typedef struct adm_journal {
    char tenant[TQ_TENANT_ID_MAX + 1];
    adm_location_t from;
    adm_location_t to;
    char registry_before[ADM_SHA256_HEX_LEN + 1]; /* registry sha256 when it began */
    char registry_after[ADM_SHA256_HEX_LEN + 1];  /* after the switch ("" before it) */
    char started[32];                             /* RFC 3339 UTC */
    adm_step_t step;
    uint64_t points; /* points copied and verified */
    /* Where the copy stands while the step is "prepared": the schema collection being
     * copied ("<schema>-<name>", "" before the first batch) and the scroll offset of its
     * next page as JSON text ("" for its first page). */
    char copy_collection[TQ_COLLECTION_NAME_MAX + 1];
    char copy_offset[128];
} adm_journal_t;

/* The journal path for a registry: "<registry>.journal". 0, or -1 when too long. */
int adm_journal_path(const char *registry, char *out, size_t cap);

/* Serialises `j` as a JSON object (malloc'd, free with free()); NULL when out of
 * memory. */
char *adm_journal_format(const adm_journal_t *j);

/* Parses journal text; TQ_EREGISTRY naming the key for anything malformed. */
tq_status_t adm_journal_parse(const char *text, size_t len, const char *origin,
                              adm_journal_t *out, tq_detail_t *detail);

/* Loads the journal at `path`: *present = 0 when there is none (not an error). */
tq_status_t adm_journal_load(const char *path, adm_journal_t *out, int *present,
                             tq_detail_t *detail);

/* Writes `j` atomically (adm_file_replace). */
tq_status_t adm_journal_save(const char *path, const adm_journal_t *j, tq_detail_t *detail);

#endif

/* check.h: the types every part of tenantq-check shares: rules, findings, the file
 * table and the session that ties one run together.
 *
 * A session is filled by the driver, read by the worker threads (under its locks) and
 * reported by the writers. Nothing here talks to libclang; see analyze.h for that. */
#ifndef TQC_CHECK_H
#define TQC_CHECK_H

#include <pthread.h>
#include <stddef.h>

/* Rule numbers; TQC_RULE_COUNT closes the list. */
typedef enum tqc_rule {
    TQC_TQ000 = 0, /* suppression misuse */
    TQC_TQ001 = 1, /* raw layer */
    TQC_TQ002 = 2, /* hand-rolled Qdrant HTTP */
    TQC_TQ003 = 3, /* raw include */
    TQC_TQ004 = 4, /* forged context */
    TQC_TQ005 = 5, /* symbol lookup */
    TQC_TQ006 = 6, /* tampered generated file */
    TQC_TQ007 = 7, /* hard-coded tenant */
    TQC_RULE_COUNT
} tqc_rule_t;

typedef enum tqc_level { TQC_LEVEL_ERROR = 0, TQC_LEVEL_WARNING = 1 } tqc_level_t;

typedef struct tqc_rule_info {
    const char *id;          /* "TQ001" */
    const char *name;        /* "raw-layer" */
    tqc_level_t level;
    int suppressible;        /* 0: an allow comment naming it is itself a TQ000 */
    const char *short_text;
    const char *full_text;
    const char *help_text;
    const char *help_markdown;
    const char *anchor;      /* heading anchor in docs/checker.md */
} tqc_rule_info_t;

/* The rule table, indexed by tqc_rule_t. */
const tqc_rule_info_t *tqc_rule_info(tqc_rule_t rule);

/* Parses "TQ003" into *out; returns 0 on success, -1 for anything else. */
int tqc_rule_parse(const char *text, size_t len, tqc_rule_t *out);

/* One file the analysis reached (a main file or a header), keyed by its real path. */
typedef struct tqc_file {
    char *path;         /* absolute, symlinks resolved */
    char *display;      /* relative to the repository root when inside it */
    char *data;         /* whole content, NUL-terminated; NULL when unreadable */
    size_t size;
    size_t *line_starts; /* offsets of line starts */
    size_t line_count;
    unsigned is_raw_header : 1;      /* path ends in tenantq/raw.h */
    unsigned is_contract_header : 1; /* tenantq/raw.h or tenantq/tenantq.h */
    unsigned is_runtime : 1;         /* inside a tenantq runtime/ tree */
    unsigned is_internal : 1;        /* inside a tenantq runtime/src/ tree */
    unsigned is_generated : 1;       /* listed in a manifest with a matching sha256 */
    unsigned has_banner : 1;         /* line 1 is the generated-code banner */
    unsigned is_test : 1;            /* a tests path (TQ007) */
    unsigned exempt : 1;             /* runtime, contract header or verified generated */
    unsigned identity_hint : 1;      /* tenantq code under a compiler-identity #if */
    unsigned mentions_ctx : 1;       /* its text contains "tenant_ctx" */
} tqc_file_t;

typedef struct tqc_finding {
    tqc_rule_t rule;
    const tqc_file_t *file;
    unsigned line, column, end_line, end_column; /* 1-based; end column exclusive */
    char *message;
    int suppressed;
    char *justification; /* the suppression's reason, when suppressed */
    int baselined;
    char fingerprint[33];
} tqc_finding_t;

/* A suppression comment found in an analysed file. */
typedef struct tqc_suppression {
    const tqc_file_t *file;
    unsigned line, column;
    unsigned rules;   /* bit per tqc_rule_t */
    unsigned used;    /* bit per rule that suppressed something */
    char *reason;
} tqc_suppression_t;

typedef struct tqc_manifest_entry {
    char *path;        /* absolute, resolved */
    char sha256[65];   /* lowercase hex */
    char *manifest;    /* the manifest that lists it, for messages */
} tqc_manifest_entry_t;

typedef enum tqc_format {
    TQC_FORMAT_TEXT,
    TQC_FORMAT_JSON,
    TQC_FORMAT_SARIF,
    TQC_FORMAT_GITLAB
} tqc_format_t;

typedef struct tqc_options {
    const char *build_dir;     /* -p */
    const char **manifests;    /* --manifest, repeatable */
    size_t manifest_count;
    tqc_format_t format;
    const char *output;        /* -o; NULL for stdout */
    const char *baseline;
    const char *write_baseline;
    const char *root;          /* --root; default: git top level of the cwd, else cwd */
    int jobs;
    int werror;                /* warnings fail the run too */
    int require_all;           /* a path filter that leaves entries unchecked is exit 2 */
    int only_named;            /* the named paths are the whole gate: no note on the rest */
    const char **files;        /* named files */
    size_t file_count;
    const char **extra_args;   /* after -- */
    size_t extra_count;
    int have_dashdash;
} tqc_options_t;

/* One translation unit to analyse: the source and the clang arguments (without the
 * source itself). */
typedef struct tqc_job {
    char *file;      /* absolute */
    char *compiler;  /* the database's compiler (argv[0]); NULL when not known */
    char **args;
    size_t arg_count;
} tqc_job_t;

typedef struct tqc_session {
    tqc_options_t opt;
    char *root;            /* absolute, resolved */
    char *build_dir_real;  /* resolved -p directory, or NULL */
    size_t unchecked_entries; /* database entries a path filter left out */
    size_t database_entries;  /* entries in the database */

    pthread_mutex_t lock;  /* guards everything below */
    tqc_file_t **files;
    size_t file_count, file_cap;
    tqc_finding_t *findings;
    size_t finding_count, finding_cap;
    tqc_suppression_t *suppressions;
    size_t suppression_count, suppression_cap;
    tqc_manifest_entry_t *manifest_entries;
    size_t manifest_entry_count, manifest_entry_cap;
    char **loaded_manifests;   /* resolved paths already read */
    size_t loaded_manifest_count, loaded_manifest_cap;
    char **errors;             /* why something could not be analysed */
    size_t error_count, error_cap;
    int out_of_memory;
} tqc_session_t;

#endif /* TQC_CHECK_H */

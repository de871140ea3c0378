/* breaking.c: the breaking-change check between two versions of a schema.
 *
 *   tenantq-gen --breaking-against OLD.tqs NEW.tqs [--format text|json]
 *   git show main:app.tqs | tenantq-gen --breaking-against - app.tqs
 *
 * Every difference is one line, classified by what it does to points already stored:
 * `safe` (they keep their meaning), `action` (they keep it, but something must be run:
 * an index built, a rewrite) or `breaking` (they would be misread or lost). A breaking
 * change is accepted only inside a collection whose revision rose, because a new
 * revision lives in physical collections of its own. The rules and the commands each
 * line names are in docs/migrations.md; the runtime enforces the same rules with
 * TQ_ESCHEMA. This file only reads the two trees; it never writes files. */
#include "breaking.h"

#include "buf.h"
#include "files.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *gen_level_name(gen_level_t level) {
    switch (level) {
    case GEN_SAFE: return "safe";
    case GEN_ACTION: return "action";
    default: return "breaking";
    }
}

/* The comparison of one collection (or of the schemas when `c` is NULL). */
typedef struct differ {
    gen_changes_t *out;
    const tq_schema_t *old_schema;
    const tq_schema_t *new_schema;
    const char *collection;
    unsigned long long revised; /* the new revision when it rose (breaking accepted), else 0 */
} differ_t;

static void add(differ_t *d, gen_level_t level, const char *kind, tq_schema_pos_t pos,
                int in_old, const char *fmt, ...) GEN_PRINTF(6, 7);

static void add(differ_t *d, gen_level_t level, const char *kind, tq_schema_pos_t pos,
                int in_old, const char *fmt, ...) {
    gen_changes_t *out = d->out;
    gen_change_t *ch;
    va_list args;
    if (out->nomem) return;
    if (out->count == out->cap) {
        size_t cap = out->cap ? 2 * out->cap : 16;
        gen_change_t *grown = realloc(out->items, cap * sizeof *grown);
        if (grown == NULL) {
            out->nomem = 1;
            return;
        }
        out->items = grown;
        out->cap = cap;
    }
    ch = &out->items[out->count++];
    memset(ch, 0, sizeof *ch);
    ch->kind = kind;
    ch->pos = pos;
    ch->in_old = in_old;
    snprintf(ch->collection, sizeof ch->collection, "%s", d->collection ? d->collection : "");
    va_start(args, fmt);
    vsnprintf(ch->message, sizeof ch->message, fmt, args);
    va_end(args);
    ch->level = level;
    if (level != GEN_SAFE && d->revised && strcmp(kind, "revision_raised") != 0) {
        /* Accepted: the new revision's collections are created empty, by onboarding,
         * with every index. The fix after "; " no longer applies. */
        char *fix = strstr(ch->message, "; ");
        if (fix == NULL) fix = ch->message + strlen(ch->message);
        snprintf(fix, sizeof ch->message - (size_t)(fix - ch->message),
                 " (accepted: revision %llu has collections of its own)", d->revised);
        ch->level = GEN_SAFE;
    }
}

static const tq_schema_collection_t *find_collection(const tq_schema_t *s, const char *name) {
    size_t i;
    for (i = 0; i < s->collection_count; i++)
        if (strcmp(s->collections[i].name, name) == 0) return &s->collections[i];
    return NULL;
}

static const tq_schema_field_t *find_field(const tq_schema_collection_t *c, const char *name) {
    size_t i;
    for (i = 0; i < c->field_count; i++)
        if (strcmp(c->fields[i].name, name) == 0) return &c->fields[i];
    return NULL;
}

/* The new field that declares `was OLD`, if any. */
static const tq_schema_field_t *find_rename(const tq_schema_collection_t *c, const char *old) {
    size_t i;
    for (i = 0; i < c->field_count; i++)
        if (c->fields[i].was != NULL && strcmp(c->fields[i].was, old) == 0) return &c->fields[i];
    return NULL;
}

static void scope_list(const tq_schema_collection_t *c, char *out, size_t cap) {
    size_t i, used = 0;
    out[0] = '\0';
    for (i = 0; i < c->scope_count && used < cap; i++) {
        snprintf(out + used, cap - used, "%s%s", i ? ", " : "", c->scopes[i].name);
        used = strlen(out);
    }
}

/* The next revision's declaration, as the fix for a breaking change. */
static const char *revision_hint(const tq_schema_collection_t *c, char *buf, size_t cap) {
    snprintf(buf, cap, "declare 'collection %s revision %llu' to store it beside the old points",
             c->name, (unsigned long long)c->revision + 1);
    return buf;
}

/* Vector, scopes and default placement. */
static void diff_shape(differ_t *d, const tq_schema_collection_t *o,
                       const tq_schema_collection_t *n) {
    char hint[160], a[512], b[512];
    revision_hint(n, hint, sizeof hint);
    if (strcmp(o->vector_name, n->vector_name) != 0)
        add(d, GEN_BREAKING, "vector_renamed", n->vector_pos, 0,
            "vector '%s' renamed to '%s': stored points have no vector of the new name; %s",
            o->vector_name, n->vector_name, hint);
    if (o->dim != n->dim)
        add(d, GEN_BREAKING, "dim_changed", n->dim_pos, 0,
            "vector '%s' dimension %llu -> %llu: stored vectors cannot be searched or "
            "written with the new size; %s and re-embed",
            n->vector_name, (unsigned long long)o->dim, (unsigned long long)n->dim, hint);
    if (o->distance != n->distance)
        add(d, GEN_BREAKING, "distance_changed", n->vector_pos, 0,
            "vector '%s' distance %s -> %s: the collection's metric is fixed at creation; %s",
            n->vector_name, tq_schema_distance_name(o->distance),
            tq_schema_distance_name(n->distance), hint);
    scope_list(o, a, sizeof a);
    scope_list(n, b, sizeof b);
    if (strcmp(a, b) != 0)
        add(d, GEN_BREAKING, "scope_changed", n->pos, 0,
            "scope set [%s] -> [%s]: point ids and every filter depend on the scopes; %s", a,
            b, hint);
    if (o->placement != n->placement)
        add(d, GEN_BREAKING, "placement_changed", n->pos, 0,
            "default placement %s -> %s: tenants without a registry override would be routed "
            "to other, empty collections; pin them in the registry and move them with "
            "'tenantq-admin migrate', or %s",
            tq_schema_placement_name(o->placement), tq_schema_placement_name(n->placement),
            hint);
}

/* Fields present in both (by name or through `was`) and fields added. */
static void diff_new_fields(differ_t *d, const tq_schema_t *ns, const tq_schema_collection_t *o,
                            const tq_schema_collection_t *n) {
    char hint[160];
    size_t i;
    revision_hint(n, hint, sizeof hint);
    for (i = 0; i < n->field_count; i++) {
        const tq_schema_field_t *f = &n->fields[i];
        const tq_schema_field_t *before = find_field(o, f->name);
        const char *type = tq_schema_type_name(f->type);
        if (before == NULL && f->was != NULL && (before = find_field(o, f->was)) != NULL) {
            if (before->type != f->type)
                add(d, GEN_BREAKING, "field_retyped", f->pos, 0,
                    "field '%s' renamed to '%s' and retyped %s -> %s: stored values have the old "
                    "type; %s",
                    f->was, f->name, tq_schema_type_name(before->type), type, hint);
            else
                add(d, GEN_SAFE, "field_renamed", f->pos, 0,
                    "field '%s' renamed to '%s' (was): reads and filters also find the old key; "
                    "'tenantq-admin rewrite' moves stored points to the new name",
                    f->was, f->name);
        } else if (before == NULL) {
            if (f->indexed)
                add(d, GEN_ACTION, "indexed_field_added", f->pos, 0,
                    "indexed field '%s' (%s) added: existing collections lack its index; run "
                    "'tenantq-admin reindex' (or %s_onboard_tenant for every tenant)",
                    f->name, type, ns->name);
            else
                add(d, GEN_SAFE, "field_added", f->pos, 0,
                    "field '%s' (%s) added: stored points read it as absent", f->name, type);
            if (f->required)
                add(d, GEN_ACTION, "required_field_added", f->pos, 0,
                    "field '%s' is required: points stored before lack it and read it as absent; "
                    "backfill them with 'tenantq-admin rewrite' if the application relies on it",
                    f->name);
            continue;
        } else if (before->type != f->type) {
            add(d, GEN_BREAKING, "field_retyped", f->pos, 0,
                "field '%s' retyped %s -> %s: stored values keep the old type and reads would "
                "fail; add a field of the new type under a new name, or %s",
                f->name, tq_schema_type_name(before->type), type, hint);
        }
        if (!before->indexed && f->indexed)
            add(d, GEN_ACTION, "index_added", f->pos, 0,
                "field '%s' now indexed: existing collections lack the index; run "
                "'tenantq-admin reindex' (or %s_onboard_tenant for every tenant)",
                f->name, ns->name);
        if (before->indexed && !f->indexed)
            add(d, GEN_SAFE, "index_dropped", f->pos, 0,
                "field '%s' no longer indexed: existing indexes stay on the server and cost "
                "only memory",
                f->name);
        if (!before->required && f->required)
            add(d, GEN_ACTION, "field_made_required", f->pos, 0,
                "field '%s' made required: points stored before may lack it; backfill them "
                "with 'tenantq-admin rewrite' if the application relies on it",
                f->name);
        if (before->required && !f->required)
            add(d, GEN_SAFE, "field_made_optional", f->pos, 0, "field '%s' made optional",
                f->name);
        if (before->filterable != f->filterable)
            add(d, GEN_SAFE, "filterable_changed", f->pos, 0,
                "field '%s' %s 'filterable' (generated filter members change)", f->name,
                f->filterable ? "gains" : "loses");
        if (before->was != NULL && f->was == NULL && strcmp(before->name, f->name) == 0)
            add(d, GEN_ACTION, "rename_dropped", f->pos, 0,
                "field '%s' no longer declares 'was %s': points written before the rename are "
                "no longer read through '%s'; run 'tenantq-admin rewrite' first",
                f->name, before->was, before->was);
    }
}

/* Fields of the old schema that the new one neither keeps nor renames. */
static void diff_removed_fields(differ_t *d, const tq_schema_collection_t *o,
                                const tq_schema_collection_t *n) {
    char hint[160];
    size_t i;
    revision_hint(n, hint, sizeof hint);
    for (i = 0; i < o->field_count; i++) {
        const tq_schema_field_t *f = &o->fields[i];
        if (find_field(n, f->name) != NULL || find_rename(n, f->name) != NULL) continue;
        add(d, GEN_BREAKING, "field_removed", f->pos, 1,
            "field '%s' (%s) removed: its stored values would no longer be read, and a later "
            "field of that name would misread them; keep it, rename it with 'was %s', or %s",
            f->name, tq_schema_type_name(f->type), f->name, hint);
    }
}

static void sparse_list(const tq_schema_collection_t *c, char *out, size_t cap) {
    size_t i, used = 0;
    out[0] = '\0';
    for (i = 0; c->has_sparse && i < c->sparse_field_count && used < cap; i++) {
        snprintf(out + used, cap - used, "%s%s", i ? ", " : "", c->sparse_fields[i].name);
        used = strlen(out);
    }
}

/* The BM25 sparse vector: stored points carry its values, computed from the text fields
 * it names, and Qdrant cannot add a sparse vector to an existing collection (PATCH
 * /collections/NAME only updates the parameters of the sparse vectors it has), so every
 * change of it is breaking. Fusion and group by are read at query time only: safe. */
static void diff_sparse(differ_t *d, const tq_schema_collection_t *o,
                        const tq_schema_collection_t *n) {
    char hint[160], a[512], b[512];
    revision_hint(n, hint, sizeof hint);
    sparse_list(o, a, sizeof a);
    sparse_list(n, b, sizeof b);
    if (!o->has_sparse && n->has_sparse)
        add(d, GEN_BREAKING, "sparse_added", n->sparse_pos, 0,
            "sparse vector '%s' (from %s) added: existing collections lack it and Qdrant "
            "cannot add one to them, and stored points lack its values; %s",
            n->sparse_name, b, hint);
    else if (o->has_sparse && !n->has_sparse)
        add(d, GEN_BREAKING, "sparse_removed", o->sparse_pos, 1,
            "sparse vector '%s' (from %s) removed: existing collections keep it and a later "
            "declaration would misread its stored values; keep it, or %s",
            o->sparse_name, a, hint);
    else if (o->has_sparse && strcmp(o->sparse_name, n->sparse_name) != 0)
        add(d, GEN_BREAKING, "sparse_renamed", n->sparse_pos, 0,
            "sparse vector '%s' renamed to '%s': existing collections have no sparse vector "
            "of the new name; %s",
            o->sparse_name, n->sparse_name, hint);
    if (o->has_sparse && n->has_sparse && strcmp(a, b) != 0)
        add(d, GEN_BREAKING, "sparse_fields_changed", n->sparse_pos, 0,
            "sparse vector '%s' text fields [%s] -> [%s]: stored sparse vectors were computed "
            "from the old text; %s and write the points again",
            n->sparse_name, a, b, hint);
    if (o->fusion != n->fusion)
        add(d, GEN_SAFE, "fusion_changed", n->has_fusion ? n->fusion_pos : n->pos, 0,
            "fusion %s -> %s: applied at query time only", tq_schema_fusion_name(o->fusion),
            tq_schema_fusion_name(n->fusion));
    if ((o->group_field == NULL) != (n->group_field == NULL) ||
        (o->group_field && strcmp(o->group_field, n->group_field) != 0))
        add(d, GEN_SAFE, "group_changed", n->group_field ? n->group_pos : n->pos, 0,
            "group by %s -> %s: applied at query time only",
            o->group_field ? o->group_field : "(none)",
            n->group_field ? n->group_field : "(none)");
}

static void diff_ops(differ_t *d, const tq_schema_collection_t *o,
                     const tq_schema_collection_t *n) {
    int op;
    for (op = 0; op < TQ_SCHEMA_OP_LAST; op++) {
        int was = tq_schema_has_op(o, (tq_schema_op_t)op), is = tq_schema_has_op(n, (tq_schema_op_t)op);
        if (is && !was)
            add(d, GEN_SAFE, "op_added", n->pos, 0, "operation '%s' added",
                tq_schema_op_name((tq_schema_op_t)op));
        if (was && !is)
            add(d, GEN_SAFE, "op_removed", n->pos, 0,
                "operation '%s' removed: stored data is untouched; code that calls it no "
                "longer compiles",
                tq_schema_op_name((tq_schema_op_t)op));
    }
}

static void diff_collection(differ_t *d, const tq_schema_t *ns, const tq_schema_collection_t *o,
                            const tq_schema_collection_t *n) {
    d->collection = n->name;
    d->revised = 0;
    if (n->revision > o->revision) {
        add(d, GEN_ACTION, "revision_raised", n->revision_pos, 0,
            "revision %llu -> %llu: new physical collections; run %s_onboard_tenant for each "
            "tenant and write its points again, while revision %llu keeps serving",
            (unsigned long long)o->revision, (unsigned long long)n->revision, ns->name,
            (unsigned long long)o->revision);
        d->revised = (unsigned long long)n->revision;
    } else if (n->revision < o->revision) {
        add(d, GEN_BREAKING, "revision_lowered", n->revision_pos, 0,
            "revision %llu -> %llu: a revision only rises; the lower one names other "
            "collections",
            (unsigned long long)o->revision, (unsigned long long)n->revision);
    }
    diff_shape(d, o, n);
    diff_new_fields(d, ns, o, n);
    diff_removed_fields(d, o, n);
    diff_sparse(d, o, n);
    diff_ops(d, o, n);
}

int gen_breaking_compare(const tq_schema_t *os, const tq_schema_t *ns, gen_changes_t *out) {
    differ_t d;
    size_t i, before;
    memset(&d, 0, sizeof d);
    d.out = out;
    d.old_schema = os;
    d.new_schema = ns;
    if (strcmp(os->name, ns->name) != 0)
        add(&d, GEN_BREAKING, "schema_renamed", ns->pos, 0,
            "schema '%s' renamed to '%s': every collection name derives from it, so no stored "
            "point would be found",
            os->name, ns->name);
    before = out->count;
    for (i = 0; i < ns->collection_count; i++) {
        const tq_schema_collection_t *n = &ns->collections[i];
        const tq_schema_collection_t *o = find_collection(os, n->name);
        if (o == NULL) {
            d.collection = n->name;
            d.revised = 0;
            add(&d, GEN_SAFE, "collection_added", n->pos, 0,
                "collection '%s' added: %s_onboard_tenant creates it", n->name, ns->name);
            continue;
        }
        diff_collection(&d, ns, o, n);
    }
    d.revised = 0;
    for (i = 0; i < os->collection_count; i++) {
        const tq_schema_collection_t *o = &os->collections[i];
        if (find_collection(ns, o->name) != NULL) continue;
        d.collection = o->name;
        add(&d, GEN_BREAKING, "collection_removed", o->pos, 1,
            "collection '%s' removed: its stored points are no longer reachable; offboard its "
            "data first ('tenantq-admin offboard') or keep it",
            o->name);
    }
    d.collection = NULL;
    if (out->count > before && ns->version <= os->version)
        add(&d, GEN_ACTION, "version_not_raised", ns->pos, 0,
            "schema version %llu not raised: raise it so clients of the older version that "
            "still run accept the collections this one stamps",
            (unsigned long long)ns->version);
    return out->nomem ? -1 : 0;
}

void gen_changes_free(gen_changes_t *changes) {
    free(changes->items);
    memset(changes, 0, sizeof *changes);
}

/* ---- the command ----------------------------------------------------------------- */

/* Reads all of stdin, up to `limit` bytes (more is an error, errno EFBIG). */
static int read_stdin(size_t limit, char **data, size_t *len) {
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    if (buf == NULL) return -1;
    for (;;) {
        size_t got;
        if (n == cap) {
            char *grown;
            if (cap > limit) {
                free(buf);
                errno = EFBIG;
                return -1;
            }
            grown = realloc(buf, 2 * cap + 1);
            if (grown == NULL) {
                free(buf);
                return -1;
            }
            buf = grown;
            cap *= 2;
        }
        got = fread(buf + n, 1, cap - n, stdin);
        n += got;
        if (got == 0) break;
    }
    if (ferror(stdin) || n > limit) {
        if (!ferror(stdin)) errno = EFBIG;
        free(buf);
        return -1;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

/* Loads one side; prints its diagnostics. Returns 0 or 2. */
static int load_side(const char *path, const char *label, char **text, tq_schema_t **out) {
    size_t len = 0;
    tq_schema_diags_t diags;
    char *report = NULL;
    tq_schema_status_t st;
    int rc = 0;
    memset(&diags, 0, sizeof diags);
    if ((strcmp(path, "-") == 0 ? read_stdin(TQ_SCHEMA_MAX_TEXT, text, &len)
                                : gen_read_file(path, TQ_SCHEMA_MAX_TEXT, text, &len)) != 0) {
        fprintf(stderr, "tenantq-gen: %s: %s\n", label, strerror(errno));
        return 2;
    }
    st = tq_schema_load(*text, len, NULL, out, &diags);
    if (st == TQ_SCHEMA_NOMEM || tq_schema_diags_render(&diags, label, *text, len, &report) != TQ_SCHEMA_OK) {
        fputs("tenantq-gen: out of memory\n", stderr);
        rc = 2;
    } else {
        fputs(report, stderr);
        if (st != TQ_SCHEMA_OK) {
            fprintf(stderr, "tenantq-gen: %s: the schema has errors; nothing compared\n", label);
            rc = 2;
        }
    }
    tq_schema_text_free(&diags, report);
    tq_schema_diags_free(&diags);
    return rc;
}

static void json_string(const char *s) {
    const unsigned char *p;
    putchar('"');
    for (p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

static void print_changes(const gen_changes_t *ch, const char *old_label, const char *new_label,
                          int json) {
    size_t i, counts[3] = {0, 0, 0};
    for (i = 0; i < ch->count; i++) counts[ch->items[i].level]++;
    if (json) {
        fputs("{\n  \"old\": ", stdout);
        json_string(old_label);
        fputs(",\n  \"new\": ", stdout);
        json_string(new_label);
        printf(",\n  \"breaking\": %zu,\n  \"action\": %zu,\n  \"safe\": %zu,\n  \"changes\": [",
               counts[GEN_BREAKING], counts[GEN_ACTION], counts[GEN_SAFE]);
    }
    for (i = 0; i < ch->count; i++) {
        const gen_change_t *c = &ch->items[i];
        const char *file = c->in_old ? old_label : new_label;
        if (!json) {
            printf("%s:%u:%u: %s: %s%s%s\n", file, c->pos.line, c->pos.col,
                   gen_level_name(c->level), c->collection, c->collection[0] ? ": " : "",
                   c->message);
            continue;
        }
        fputs(i ? ",\n    {" : "\n    {", stdout);
        fputs("\"level\": ", stdout);
        json_string(gen_level_name(c->level));
        fputs(", \"kind\": ", stdout);
        json_string(c->kind);
        fputs(", \"collection\": ", stdout);
        json_string(c->collection);
        fputs(", \"file\": ", stdout);
        json_string(file);
        printf(", \"line\": %u, \"col\": %u, \"message\": ", c->pos.line, c->pos.col);
        json_string(c->message);
        putchar('}');
    }
    if (json)
        fputs(ch->count ? "\n  ]\n}\n" : "]\n}\n", stdout);
    else
        fprintf(stderr, "tenantq-gen: %zu breaking, %zu action, %zu safe\n",
                counts[GEN_BREAKING], counts[GEN_ACTION], counts[GEN_SAFE]);
}

int gen_breaking_main(const char *old_path, const char *new_path, int json) {
    char *old_text = NULL, *new_text = NULL;
    tq_schema_t *os = NULL, *ns = NULL;
    gen_changes_t changes;
    const char *old_label = strcmp(old_path, "-") == 0 ? "<stdin>" : old_path;
    int rc, breaking = 0;
    size_t i;
    memset(&changes, 0, sizeof changes);
    rc = load_side(old_path, old_label, &old_text, &os);
    if (rc == 0) rc = load_side(new_path, new_path, &new_text, &ns);
    if (rc == 0 && gen_breaking_compare(os, ns, &changes) != 0) {
        fputs("tenantq-gen: out of memory\n", stderr);
        rc = 2;
    }
    if (rc == 0) {
        print_changes(&changes, old_label, new_path, json);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "tenantq-gen: writing the report failed: %s\n", strerror(errno));
            rc = 2;
        }
        for (i = 0; i < changes.count; i++) breaking |= changes.items[i].level == GEN_BREAKING;
        if (rc == 0) rc = breaking ? 1 : 0;
    }
    gen_changes_free(&changes);
    tq_schema_free(os);
    tq_schema_free(ns);
    free(old_text);
    free(new_text);
    return rc;
}

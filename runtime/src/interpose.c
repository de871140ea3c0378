/* interpose.c: refuses to serve when a function of libtenantq's has been replaced at run
 * time. A library loaded ahead of it (LD_PRELOAD, or linked before it) or a definition
 * in the program takes the place of a tq_ function for every caller, the generated
 * client and the runtime's own calls among its exported functions included, and the
 * link-time check (docs/checker.md) never saw it. So the first client made checks each
 * function this library exports under tq_: bound the way a caller's call is bound
 * (dlsym(RTLD_DEFAULT)), it must be this library's own definition, or the program's PLT
 * entry for it (a non-PIE program that takes its address) when the first object after
 * the program that defines it is this library; and no other loaded object may define
 * one of those names at all, under any symbol version (the loader can bind to a hidden
 * version dlsym does not report). Everything is read from the loaded images (their
 * dynamic sections), never from files, so no path, argv[0] or stripped section table
 * can mislead it; the names come from this library's own dynamic symbol table, so no
 * list can fall behind the header. The answer is kept for the process, and a refusal
 * refuses every request (tq_http_perform). An in-process check cannot defend against a
 * preload that replaces the C library's own loader interfaces (dl_iterate_phdr); it
 * sees every replacement of libtenantq's functions short of that. */
#define _GNU_SOURCE
#include "interpose.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if __ELF_NATIVE_CLASS == 64
#define SYM_TYPE ELF64_ST_TYPE
#else
#define SYM_TYPE ELF32_ST_TYPE
#endif

/* One loaded object's dynamic symbol table. */
typedef struct image {
    uintptr_t addr;       /* load bias: symbol values are relative to it */
    const char *name;     /* as the loader knows it; "" for the program */
    const ElfW(Phdr) *phdr; /* its program headers, for what it maps */
    ElfW(Half) phnum;
    const ElfW(Sym) *syms;
    const char *strs;
    size_t strsz, count;
    int is_program, own; /* own: holds this file's code */
    int readable;        /* has a dynamic symbol table */
} image_t;

/* A dynamic-section pointer: relocated by the loader on most machines, not on all. */
static uintptr_t dyn_ptr(uintptr_t addr, ElfW(Addr) p)
{
    return p < addr ? addr + p : p;
}

/* The number of symbols a DT_GNU_HASH table covers: one past the last chain's end. */
static size_t gnu_hash_count(const uint32_t *h)
{
    uint32_t nbuckets = h[0], symoffset = h[1], bloom = h[2];
    const uint32_t *buckets = (const uint32_t *)((const ElfW(Addr) *)(h + 4) + bloom);
    const uint32_t *chain = buckets + nbuckets;
    uint32_t last = 0;
    for (uint32_t i = 0; i < nbuckets; i++) {
        if (buckets[i] > last)
            last = buckets[i];
    }
    if (last < symoffset)
        return symoffset;
    while (!(chain[last - symoffset] & 1))
        last++;
    return (size_t)last + 1;
}

/* Fills `im` from a loaded object's PT_DYNAMIC; 0, or -1 when it has no symbol table. */
static int image_read(const struct dl_phdr_info *info, image_t *im)
{
    memset(im, 0, sizeof *im);
    im->addr = info->dlpi_addr;
    im->name = info->dlpi_name ? info->dlpi_name : "";
    im->phdr = info->dlpi_phdr;
    im->phnum = info->dlpi_phnum;
    const ElfW(Dyn) *dyn = NULL;
    for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
        if (info->dlpi_phdr[i].p_type == PT_DYNAMIC)
            dyn = (const ElfW(Dyn) *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
    }
    const uint32_t *hash = NULL, *gnu_hash = NULL;
    for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
        switch (dyn->d_tag) {
        case DT_SYMTAB:
            im->syms = (const ElfW(Sym) *)dyn_ptr(im->addr, dyn->d_un.d_ptr);
            break;
        case DT_STRTAB:
            im->strs = (const char *)dyn_ptr(im->addr, dyn->d_un.d_ptr);
            break;
        case DT_STRSZ:
            im->strsz = dyn->d_un.d_val;
            break;
        case DT_HASH:
            hash = (const uint32_t *)dyn_ptr(im->addr, dyn->d_un.d_ptr);
            break;
        case DT_GNU_HASH:
            gnu_hash = (const uint32_t *)dyn_ptr(im->addr, dyn->d_un.d_ptr);
            break;
        default:
            break;
        }
    }
    if (!im->syms || !im->strs)
        return -1;
    im->count = hash ? hash[1] : gnu_hash ? gnu_hash_count(gnu_hash) : 0;
    return im->count ? 0 : -1;
}

/* The symbol `name` of `im`, or NULL. */
static const ElfW(Sym) *image_find(const image_t *im, const char *name)
{
    for (size_t k = 0; k < im->count; k++) {
        const ElfW(Sym) *s = &im->syms[k];
        if (s->st_name < im->strsz && strcmp(im->strs + s->st_name, name) == 0)
            return s;
    }
    return NULL;
}

static int defines(const image_t *im, const char *name)
{
    const ElfW(Sym) *s = im->readable ? image_find(im, name) : NULL;
    return s && s->st_shndx != SHN_UNDEF;
}

#define IMAGES_MAX 512

typedef struct scan {
    image_t images[IMAGES_MAX]; /* in the loader's order: the program first */
    size_t n;
    int overflow; /* more objects than IMAGES_MAX */
    const void *anchor;
} scan_t;

/* 1 when `im` maps `addr` (one of its PT_LOAD segments holds it). */
static int image_maps(const image_t *im, const void *addr)
{
    for (ElfW(Half) i = 0; i < im->phnum; i++) {
        const ElfW(Phdr) *p = &im->phdr[i];
        uintptr_t lo = im->addr + p->p_vaddr;
        if (p->p_type == PT_LOAD && (uintptr_t)addr >= lo && (uintptr_t)addr - lo < p->p_memsz)
            return 1;
    }
    return 0;
}

/* Every loaded object, in the loader's order. One without a symbol table (the vDSO may
 * lack one) is kept too, so an address is never put down to the wrong object. */
static int collect(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    scan_t *s = arg;
    if (s->n == IMAGES_MAX) {
        s->overflow = 1;
        return 1;
    }
    image_t *im = &s->images[s->n++];
    im->readable = image_read(info, im) == 0;
    im->is_program = s->n == 1;
    im->own = image_maps(im, s->anchor);
    return 0;
}

static const image_t *image_at(const scan_t *s, const void *addr)
{
    for (size_t i = 0; i < s->n; i++) {
        if (image_maps(&s->images[i], addr))
            return &s->images[i];
    }
    return NULL;
}

static const char *shown(const image_t *im)
{
    return im->name[0] ? im->name : "the program itself";
}

/* 1 when `sym` of `own` is a function it exports under tq_. */
static int exported_function(const image_t *own, const ElfW(Sym) * sym)
{
    return sym->st_name < own->strsz && strncmp(own->strs + sym->st_name, "tq_", 3) == 0 &&
           SYM_TYPE(sym->st_info) == STT_FUNC && sym->st_shndx != SHN_UNDEF;
}

static pthread_once_t interpose_once = PTHREAD_ONCE_INIT;
static char interpose_why[512];
static const char *interpose_result;
static scan_t interpose_scan;

/* Why `name`, defined by `own` at `mine`, is not what callers reach; NULL when it is. */
static const char *check_symbol(const scan_t *s, const image_t *own, const char *name,
                                void *mine)
{
    void *bound = dlsym(RTLD_DEFAULT, name);
    if (!bound || bound == mine)
        return NULL;
    const image_t *at = image_at(s, bound);
    if (!at || !at->readable) {
        snprintf(interpose_why, sizeof interpose_why,
                 "%s is bound to %s, not to libtenantq", name,
                 at ? shown(at) : "an address in no loaded object known here");
        return interpose_why;
    }
    if (at->is_program && !own->is_program) {
        /* The program's PLT entry for the function leads to the first object after the
         * program that defines it: that must be this library. */
        const ElfW(Sym) *plt = image_find(at, name);
        const image_t *next = NULL;
        for (size_t i = 1; i < s->n && !next; i++) {
            if (defines(&s->images[i], name))
                next = &s->images[i];
        }
        if (plt && plt->st_shndx == SHN_UNDEF && next == own)
            return NULL;
        if (plt && plt->st_shndx == SHN_UNDEF && next)
            at = next;
    }
    snprintf(interpose_why, sizeof interpose_why,
             "%s is bound to %s, not to libtenantq (%s): a library loaded ahead of it "
             "(LD_PRELOAD) or the program itself replaces the runtime's own function",
             name, shown(at), shown(own));
    return interpose_why;
}

/* Why another loaded object defines a function libtenantq exports, under any symbol
 * version (dlsym does not see a hidden one, but the loader binds to it) and whatever
 * dlsym itself answers; NULL when none does. */
static const char *other_definer(const scan_t *s, const image_t *own)
{
    for (size_t i = 0; i < s->n; i++) {
        const image_t *im = &s->images[i];
        if (im == own || !im->readable)
            continue;
        for (size_t k = 0; k < im->count; k++) {
            const ElfW(Sym) *sym = &im->syms[k];
            if (sym->st_shndx == SHN_UNDEF || sym->st_name >= im->strsz)
                continue;
            const char *name = im->strs + sym->st_name;
            if (strncmp(name, "tq_", 3) != 0)
                continue;
            const ElfW(Sym) *mine = image_find(own, name);
            if (!mine || !exported_function(own, mine))
                continue;
            snprintf(interpose_why, sizeof interpose_why,
                     "%s is defined by %s as well as by libtenantq (%s): a library loaded "
                     "with it (LD_PRELOAD) or the program itself replaces the runtime's own "
                     "function",
                     name, shown(im), shown(own));
            return interpose_why;
        }
    }
    return NULL;
}

static void interpose_check(void)
{
    scan_t *s = &interpose_scan;
    memset(s, 0, sizeof *s);
    s->anchor = interpose_why; /* any address inside this library names it */
    dl_iterate_phdr(collect, s);
    const image_t *own = NULL;
    for (size_t i = 0; i < s->n; i++) {
        if (s->images[i].own)
            own = &s->images[i];
    }
    if (!own || !own->readable || s->overflow) {
        snprintf(interpose_why, sizeof interpose_why,
                 "libtenantq cannot check that none of its functions is replaced: %s",
                 s->overflow ? "more than 512 objects are loaded"
                             : "it cannot read its own dynamic symbol table");
        interpose_result = interpose_why;
        return;
    }
    for (size_t k = 0; k < own->count; k++) {
        const ElfW(Sym) *sym = &own->syms[k];
        const char *name = sym->st_name < own->strsz ? own->strs + sym->st_name : "";
        if (!exported_function(own, sym))
            continue;
        interpose_result = check_symbol(s, own, name, (void *)(own->addr + sym->st_value));
        if (interpose_result)
            return;
    }
    interpose_result = other_definer(s, own);
}

const char *tq_interposed(void)
{
    pthread_once(&interpose_once, interpose_check);
    return interpose_result;
}

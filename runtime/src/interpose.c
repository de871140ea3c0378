/* interpose.c: refuses to serve when a function of libtenantq's has been replaced at run
 * time. A library loaded ahead of it (LD_PRELOAD, or linked before it) or a definition
 * in the executable takes the place of a tq_ function for every caller, the generated
 * client and the runtime's own calls among its exported functions included, and the
 * link-time check (docs/checker.md) never saw it. So the first client made, and every
 * request after, checks each function this library exports under tq_: bound the way a
 * caller's call is bound (dlsym(RTLD_DEFAULT)), it must be this library's own
 * definition, or the executable's PLT entry for it (a non-PIE program that takes its
 * address). The exported names come from this library's own .dynsym, read from its
 * file, so no list can fall behind the header. A library whose file cannot be read is
 * not assumed clean: that is refused too. */
#define _GNU_SOURCE
#include "interpose.h"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if __ELF_NATIVE_CLASS == 64
#define NATIVE_CLASS ELFCLASS64
#define SYM_TYPE ELF64_ST_TYPE
#else
#define NATIVE_CLASS ELFCLASS32
#define SYM_TYPE ELF32_ST_TYPE
#endif

/* Calls fn for each dynamic symbol of the ELF file at `path` until it returns nonzero;
 * returns that value, 0 when it never did, or -1 when the file is not a readable ELF
 * object of this machine's class. */
typedef int (*dynsym_fn)(const char *name, const ElfW(Sym) * sym, void *arg);

static int each_dynsym(const char *path, dynsym_fn fn, void *arg)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    void *map = MAP_FAILED;
    if (fstat(fd, &st) == 0 && (size_t)st.st_size >= sizeof(ElfW(Ehdr)))
        map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return -1;
    size_t size = (size_t)st.st_size;
    const unsigned char *base = map;
    const ElfW(Ehdr) *eh = map;
    int rc = -1;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != NATIVE_CLASS ||
        eh->e_shentsize != sizeof(ElfW(Shdr)) || eh->e_shoff > size ||
        eh->e_shnum > (size - eh->e_shoff) / sizeof(ElfW(Shdr)))
        goto done;
    const ElfW(Shdr) *sh = (const ElfW(Shdr) *)(base + eh->e_shoff);
    for (size_t i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_DYNSYM)
            continue;
        if (sh[i].sh_link >= eh->e_shnum || sh[i].sh_offset > size ||
            sh[i].sh_size > size - sh[i].sh_offset || sh[i].sh_entsize != sizeof(ElfW(Sym)))
            goto done;
        const ElfW(Shdr) *strs = &sh[sh[i].sh_link];
        if (strs->sh_offset > size || strs->sh_size > size - strs->sh_offset ||
            strs->sh_size == 0 || base[strs->sh_offset + strs->sh_size - 1] != '\0')
            goto done;
        const char *names = (const char *)base + strs->sh_offset;
        const ElfW(Sym) *syms = (const ElfW(Sym) *)(base + sh[i].sh_offset);
        rc = 0;
        for (size_t k = 0; k < sh[i].sh_size / sizeof(ElfW(Sym)) && rc == 0; k++) {
            if (syms[k].st_name < strs->sh_size)
                rc = fn(names + syms[k].st_name, &syms[k], arg);
        }
        goto done;
    }
    rc = 0; /* no dynamic symbols at all: nothing exported, nothing to replace */
done:
    munmap(map, size);
    return rc;
}

/* The file an address lies in, for reading its symbols: the executable's own path
 * when dladdr names the program by the name it was started under. */
static const char *object_path(const Dl_info *info)
{
    const char *f = info->dli_fname;
    return f && f[0] == '/' && access(f, R_OK) == 0 ? f : "/proc/self/exe";
}

typedef struct lookup {
    const char *name;
    int undefined; /* 1: an undefined reference (a PLT entry), 0: a definition */
    int found;
} lookup_t;

static int find_symbol(const char *name, const ElfW(Sym) * sym, void *arg)
{
    lookup_t *l = arg;
    if (strcmp(name, l->name) != 0)
        return 0;
    l->found = 1;
    l->undefined = sym->st_shndx == SHN_UNDEF;
    return 1;
}

typedef struct own {
    const char *path;
    const char *base;
    char *why;
    size_t cap;
} own_t;

/* For each function this library defines under tq_: where a caller's call to it goes. */
static int check_symbol(const char *name, const ElfW(Sym) * sym, void *arg)
{
    own_t *o = arg;
    if (strncmp(name, "tq_", 3) != 0 || SYM_TYPE(sym->st_info) != STT_FUNC ||
        sym->st_shndx == SHN_UNDEF)
        return 0;
    void *mine = (void *)(o->base + sym->st_value);
    void *bound = dlsym(RTLD_DEFAULT, name);
    if (!bound || bound == mine)
        return 0;
    Dl_info other;
    if (dladdr(bound, &other) == 0) {
        snprintf(o->why, o->cap, "%s is bound to an address in no loaded object, not to %s",
                 name, o->path);
        return 1;
    }
    const char *path = object_path(&other);
    lookup_t l = {name, 0, 0};
    if (each_dynsym(path, find_symbol, &l) < 0) {
        snprintf(o->why, o->cap, "%s is bound to %s, whose symbols cannot be read", name,
                 path);
        return 1;
    }
    if (l.found && l.undefined)
        return 0; /* the executable's PLT entry, which leads here */
    char program[4096];
    ssize_t n = strcmp(path, "/proc/self/exe") == 0
                    ? readlink(path, program, sizeof program - 1) : -1;
    if (n > 0) {
        program[n] = '\0';
        path = program;
    }
    snprintf(o->why, o->cap,
             "%s is bound to %s, not to libtenantq (%s): a library loaded ahead of it "
             "(LD_PRELOAD) or the program itself replaces the runtime's own function",
             name, path, o->path);
    return 1;
}

static pthread_once_t interpose_once = PTHREAD_ONCE_INIT;
static char interpose_why[512];
static const char *interpose_result;

static void interpose_check(void)
{
    Dl_info self;
    /* Any address inside this library names it: this buffer's will do. */
    if (dladdr(interpose_why, &self) == 0 || !self.dli_fbase) {
        snprintf(interpose_why, sizeof interpose_why,
                 "libtenantq cannot find itself among the loaded objects (dladdr)");
        interpose_result = interpose_why;
        return;
    }
    own_t o = {object_path(&self), self.dli_fbase, interpose_why, sizeof interpose_why};
    int rc = each_dynsym(o.path, check_symbol, &o);
    if (rc < 0)
        snprintf(interpose_why, sizeof interpose_why,
                 "cannot read libtenantq's own symbols from %s to check that none is "
                 "replaced", o.path);
    interpose_result = rc != 0 ? interpose_why : NULL;
}

const char *tq_interposed(void)
{
    pthread_once(&interpose_once, interpose_check);
    return interpose_result;
}

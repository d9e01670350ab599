/*
 * execve: programs are files of the RAM file system, found by path; the
 * boot modules that are not cpio archives become files in /bin at boot
 * (kernel/fs/cpio.c). A new image is built in a fresh address space; only
 * when it is complete does it replace the old one, so a failed execve
 * leaves the caller as it was.
 *
 * The initial stack is laid out as Linux i386 lays it out for a static
 * binary (fs/binfmt_elf.c create_elf_tables), from the stack pointer up:
 *
 *     argc | argv[0..argc-1] | NULL | envp[..] | NULL | auxv pairs | AT_NULL
 *     ... the 16 AT_RANDOM bytes, then the argument and environment strings
 */
#include "exec.h"
#include "bootinfo.h"
#include "cmdline.h"
#include "elf.h"
#include "errno.h"
#include "mm.h"
#include "file.h"
#include "fs.h"
#include "gdt.h"
#include "kheap.h"
#include "memlayout.h"
#include "pmm.h"
#include "printk.h"
#include "proc.h"
#include "signal.h"
#include "string.h"
#include "syscall.h"
#include "trace.h"
#include "tty.h"
#include "x86.h"

#define PATH_MAX_LEN      256
#define ARG_SPACE         PAGE_SIZE /* argv and envp strings and pointers together */
#define MAX_ARGS          64
#define RANDOM_BYTES      16
#define STACK_ALIGN       16
#define INIT_NAME_DEFAULT "init"
#define BIN_DIR           "/bin"
#define ANY_EXEC_BIT      0111
#define SHEBANG_MAX       256 /* Linux's BINPRM_BUF_SIZE: a "#!" line is read this far */
#define SCRIPT_DEPTH_MAX  4   /* an interpreter may be a script this many times (Linux) */

/* What execve passes on: argv and envp as kernel strings. */
struct arg_list {
    const char *const *argv;
    int argc;
    const char *const *envp;
    int envc;
};

/* Auxiliary vector types (include/uapi/linux/auxvec.h). */
enum {
    AT_NULL = 0,
    AT_PHDR = 3,
    AT_PHENT = 4,
    AT_PHNUM = 5,
    AT_PAGESZ = 6,
    AT_ENTRY = 9,
    AT_UID = 11,
    AT_EUID = 12,
    AT_GID = 13,
    AT_EGID = 14,
    AT_RANDOM = 25
};
#define AUXV_PAIRS 11

static char init_name[PROC_NAME_MAX] = INIT_NAME_DEFAULT;

static const char *set_init(const char *value)
{
    if (strlcpy(init_name, value, sizeof(init_name)) >= sizeof(init_name))
        return "name too long";
    return NULL;
}
BOOT_OPTION("init", set_init, "the program to start as pid 1 (default init)");

static const char *basename(const char *path)
{
    const char *slash = path;
    for (const char *p = path; *p; p++)
        if (*p == '/')
            slash = p + 1;
    return slash;
}

struct stack_plan {
    uintptr_t sp, random_at, strings_at;
    size_t strings_size;
};

static size_t strings_size(const char *const list[], int n)
{
    size_t size = 0;
    for (int i = 0; i < n; i++)
        size += strlen(list[i]) + 1;
    return size;
}

/* The ids the new program starts with (root for init, which the kernel
 * starts before any process runs). */
static const struct creds *exec_creds(void)
{
    static const struct creds root;
    const struct proc *p = current_proc();

    return p ? &p->cred : &root;
}

static void fill_auxv(uint32_t *auxv, const struct elf_file *ef, const struct stack_plan *plan)
{
    const struct elf_header *h = &ef->header;
    const struct creds *c = exec_creds();
    const uint32_t pairs[AUXV_PAIRS][2] = {
        {AT_PHDR, elf_phdr_address(ef)},
        {AT_PHENT, sizeof(struct elf_program_header)},
        {AT_PHNUM, h->phnum},
        {AT_PAGESZ, PAGE_SIZE},
        {AT_ENTRY, h->entry},
        {AT_UID, c->uid},
        {AT_EUID, c->euid},
        {AT_GID, c->gid},
        {AT_EGID, c->egid},
        {AT_RANDOM, plan->random_at},
        {AT_NULL, 0},
    };
    memcpy(auxv, pairs, sizeof(pairs));
}

/* Writes strings at *at (a user address) and their addresses into ptrs. */
static int push_strings(pde_t *pd, uintptr_t *at, const char *const list[], int n, uint32_t *ptrs)
{
    for (int i = 0; i < n; i++) {
        size_t len = strlen(list[i]) + 1;
        if (vm_copy_out(pd, *at, list[i], len))
            return -EFAULT;
        ptrs[i] = *at;
        *at += len;
    }
    ptrs[n] = 0;
    return 0;
}

static int build_stack(pde_t *pd, const struct elf_file *ef, const char *const argv[], int argc,
                       const char *const envp[], int envc, uintptr_t *sp_out)
{
    uint32_t *words = frame_alloc(); /* argc, argv, envp and auxv, built here first */
    size_t nwords = 1 + (argc + 1) + (envc + 1) + 2 * AUXV_PAIRS;
    struct stack_plan plan;
    uint8_t random[RANDOM_BYTES];
    uint64_t seed = rdtsc();
    int err;

    if (!words)
        return -ENOMEM;
    plan.strings_size = strings_size(argv, argc) + strings_size(envp, envc);
    plan.strings_at = USER_STACK_TOP - ALIGN_UP(plan.strings_size, 4);
    plan.random_at = plan.strings_at - RANDOM_BYTES;
    plan.sp = ALIGN_DOWN(plan.random_at - nwords * sizeof(uint32_t), STACK_ALIGN);
    for (int i = 0; i < RANDOM_BYTES; i++, seed = seed * 6364136223846793005ull + 1)
        random[i] = (uint8_t)(seed >> 56);

    uintptr_t at = plan.strings_at;
    words[0] = (uint32_t)argc;
    err = push_strings(pd, &at, argv, argc, &words[1]);
    if (!err)
        err = push_strings(pd, &at, envp, envc, &words[1 + argc + 1]);
    if (!err) {
        fill_auxv(&words[1 + argc + 1 + envc + 1], ef, &plan);
        err = vm_copy_out(pd, plan.random_at, random, RANDOM_BYTES);
    }
    if (!err)
        err = vm_copy_out(pd, plan.sp, words, nwords * sizeof(uint32_t));
    frame_free(words);
    *sp_out = plan.sp;
    return err;
}

static void reset_registers(struct trapframe *tf, uintptr_t entry, uintptr_t sp)
{
    memset(tf, 0, sizeof(*tf));
    tf->cs = USER_CS;
    tf->ds = tf->es = tf->fs = tf->gs = tf->user_ss = USER_DS;
    tf->eflags = EFLAGS_RESERVED1 | EFLAGS_IF;
    tf->eip = entry;
    tf->user_esp = sp;
}

static int build_image(pde_t *pd, const struct elf_file *ef, const char *const argv[], int argc,
                       const char *const envp[], int envc, struct elf_image *img, uintptr_t *sp)
{
    int err = elf_load(pd, ef, img);

    if (!err)
        err = vm_map_range(pd, USER_STACK_TOP - USER_STACK_INITIAL, USER_STACK_TOP, PTE_USER_DATA);
    if (!err)
        err = build_stack(pd, ef, argv, argc, envp, envc, sp);
    /* Where build_stack put the strings: argv's first, below the top. */
    img->args_start =
        USER_STACK_TOP - ALIGN_UP(strings_size(argv, argc) + strings_size(envp, envc), 4);
    img->args_end = img->args_start + strings_size(argv, argc);
    return err;
}

/* The file execve runs: path, from p's working directory. A name with no
 * '/' that is not there is looked for in /bin, Relay's stand-in for the
 * PATH search that a libc's execvp (and BusyBox) does in user space. */
/* The program's absolute path, as /proc/PID/exe tells it (kmalloc'd; NULL
 * when it does not fit the kernel heap's largest block). */
static char *exe_path_for(struct proc *p, const char *path, bool in_bin)
{
    char *page = frame_alloc(), *dir = NULL, *out;
    size_t len;

    if (!page)
        return NULL;
    if (in_bin)
        dir = BIN_DIR;
    else if (path[0] != '/')
        dir = path_of_dir(proc_cwd(p), page);
    len = (dir ? strlen(dir) + 1 : 0) + strlen(path) + 1;
    if ((out = len <= KMALLOC_MAX ? kmalloc(len) : NULL))
        ksnprintf(out, len, "%s%s%s", dir ? dir : "", dir && strcmp(dir, "/") ? "/" : "", path);
    frame_free(page);
    return out;
}

static int program_lookup(struct proc *p, const char *path, struct inode **ip, char **exe)
{
    struct inode *bin;
    bool in_bin = false;
    int err = path_lookup(path, proc_cwd(p), LOOKUP_FOLLOW, ip);

    if (err == -ENOENT && !strchr(path, '/') &&
        !path_lookup(BIN_DIR, fs_root, LOOKUP_FOLLOW, &bin)) {
        err = path_lookup(path, bin, LOOKUP_FOLLOW, ip);
        in_bin = true;
    }
    if (err)
        return err;
    *exe = exe_path_for(p, path, in_bin);
    if (!S_ISTYPE((*ip)->mode, S_IFREG) || !((*ip)->mode & ANY_EXEC_BIT))
        return -EACCES; /* a directory, a device, or no x bit: even root may not run it */
    return inode_permission(*ip, MAY_EXEC); /* the x bit of the caller's class */
}

static int read_inode(const void *src, uint32_t off, void *dst, size_t n)
{
    long got = inode_read((struct inode *)src, off, (struct iobuf){NULL, (uintptr_t)dst}, n);

    return got == (long)n ? 0 : -EIO;
}

/* Checks the file in Linux's two stages; see EXEC_BAD_SEGMENTS. */
static int open_program(struct inode *ip, const char *path, struct elf_file *ef)
{
    const struct elf_source source = {ip->size, read_inode, ip};
    const char *why;

    if ((why = elf_open(ef, &source))) {
        pr_warn("exec: %s: %s\n", path, why);
        return -ENOEXEC;
    }
    if ((why = elf_check_loadable(ef))) {
        pr_warn("exec: %s: %s\n", path, why);
        return EXEC_BAD_SEGMENTS;
    }
    return 0;
}

/* The new image, complete, replaces p's old one. */
static void switch_image(struct proc *p, pde_t *pd, const char *path, const struct elf_image *img,
                         uintptr_t sp)
{
    pde_t *old = p->pd;

    p->arg_start = img->args_start;
    p->arg_end = img->args_end;
    p->pd = pd;
    if (p == current_proc())
        vm_activate(pd);
    if (old)
        vm_destroy(old);
    syscall_report_missing(p); /* under the name of the program that made them */
    strlcpy(p->name, basename(path), sizeof(p->name));
    trace_exec(p->pid, p->name);
    p->brk_start = p->brk = img->end;
    mm_exec_reset(p, MIN(ALIGN_DOWN(sp, PAGE_SIZE), USER_STACK_TOP - USER_STACK_INITIAL));
    p->did_exec = true;
    memset(p->tls, 0, sizeof(p->tls)); /* Linux's flush_thread: no TLS entries */
    fpu_init_state(&p->fpu);
    if (p == current_proc()) {
        fpu_restore(&p->fpu);
        gdt_load_tls(p->tls);
    }
    sig_exec(p);
    ids_exec(p);
    posix_timer_delete_all(p); /* POSIX: exec deletes a process's timers */
    fd_exec(p);
    vfork_release(p);
    reset_registers(p->tf, img->entry, sp);
}

/* Builds the new image from an ELF file and, when it is complete, switches
 * to it; exe becomes /proc/PID/exe (taken over on success). */
static int exec_file(struct proc *p, struct inode *ip, const char *path, const char *name,
                     const struct arg_list *args, char *exe)
{
    struct elf_file *ef = frame_alloc();
    struct elf_image img;
    uintptr_t sp;
    pde_t *pd = NULL;
    int err = ef ? open_program(ip, path, ef) : -ENOMEM;

    if (!err && !(pd = vm_create()))
        err = -ENOMEM;
    if (!err && (err = build_image(pd, ef, args->argv, args->argc, args->envp, args->envc, &img,
                                   &sp)))
        vm_destroy(pd);
    if (ef)
        frame_free(ef);
    if (err)
        return err;
    switch_image(p, pd, name, &img, sp);
    kfree(p->exe_path);
    p->exe_path = exe;
    return 0;
}

/* A script's first line, "#!INTERPRETER [ARGUMENT]" (Linux's binfmt_script):
 * sets interp and arg (empty when there is none); false when the file does
 * not start with "#!". */
static bool read_shebang(struct inode *ip, char line[SHEBANG_MAX], const char **interp,
                         const char **arg)
{
    long n = inode_read(ip, 0, (struct iobuf){NULL, (uintptr_t)line}, SHEBANG_MAX - 1);
    char *p, *end;

    if (n < 2 || line[0] != '#' || line[1] != '!')
        return false;
    line[n] = '\0';
    if ((end = strchr(line, '\n')))
        *end = '\0';
    for (p = line + 2; *p == ' ' || *p == '\t'; p++)
        ;
    *interp = p;
    while (*p && *p != ' ' && *p != '\t')
        p++;
    if (*p)
        *p++ = '\0';
    while (*p == ' ' || *p == '\t')
        p++;
    *arg = p;
    for (end = p + strlen(p); end > p && (end[-1] == ' ' || end[-1] == '\t');)
        *--end = '\0'; /* the rest of the line is one argument, trailing blanks cut */
    return true;
}

static int exec_at_depth(struct proc *p, const char *path, const char *name,
                         const struct arg_list *args, int depth);

/* Runs a script: its interpreter, with the optional argument, the script's
 * path, then the script's own arguments after argv[0] (Linux). */
static int exec_script(struct proc *p, const char *path, const char *name,
                       const struct arg_list *args, int depth, const char *interp, const char *arg)
{
    const char *argv[MAX_ARGS + 1];
    struct arg_list with = *args;
    int argc = 0;

    if (!*interp)
        return -ENOEXEC; /* "#!" and nothing after it */
    if (args->argc + 2 > MAX_ARGS)
        return -E2BIG;
    argv[argc++] = interp;
    if (*arg)
        argv[argc++] = arg;
    argv[argc++] = path;
    for (int i = 1; i < args->argc; i++)
        argv[argc++] = args->argv[i];
    argv[argc] = NULL;
    with.argv = argv;
    with.argc = argc;
    return exec_at_depth(p, interp, name, &with, depth + 1);
}

static int exec_at_depth(struct proc *p, const char *path, const char *name,
                         const struct arg_list *args, int depth)
{
    char line[SHEBANG_MAX];
    const char *interp, *arg;
    struct inode *ip;
    char *exe = NULL;
    int err;

    if (depth > SCRIPT_DEPTH_MAX)
        return -ELOOP; /* scripts whose interpreters are scripts, too deep */
    if ((err = program_lookup(p, path, &ip, &exe))) {
        kfree(exe);
        return err;
    }
    ip->open_count++; /* running it keeps it, even if it is unlinked meanwhile */
    if (read_shebang(ip, line, &interp, &arg)) {
        kfree(exe); /* the interpreter's path will be /proc/PID/exe */
        err = exec_script(p, path, name, args, depth, interp, arg);
    } else if ((err = exec_file(p, ip, path, name, args, exe))) {
        kfree(exe);
    }
    ip->open_count--;
    inode_release(ip);
    return err;
}

int exec_program(struct proc *p, const char *path, const char *const argv[], int argc,
                 const char *const envp[], int envc)
{
    const struct arg_list args = {argv, argc, envp, envc};

    return exec_at_depth(p, path, path, &args, 0);
}

/* Kernel copies of execve's argument and environment strings, in one frame. */
struct arg_copy {
    const char *argv[MAX_ARGS + 1], *envp[MAX_ARGS + 1];
    int argc, envc;
    char *next; /* free space for strings */
    size_t left;
};

/* Copies a user NULL-terminated array of strings (argv or envp). */
static int copy_string_array(const pde_t *pd, uintptr_t array, const char **out, int *count,
                             struct arg_copy *c)
{
    *count = 0;
    if (!array)
        return 0; /* Linux accepts NULL as an empty list */
    for (;; (*count)++) {
        uint32_t ptr;
        int len;
        if (vm_copy_in(pd, &ptr, array + (uintptr_t)*count * sizeof(ptr), sizeof(ptr)))
            return -EFAULT;
        if (!ptr)
            break;
        if (*count == MAX_ARGS)
            return -E2BIG;
        len = vm_copy_string_in(pd, c->next, ptr, c->left);
        if (len < 0)
            return len == -ENAMETOOLONG ? -E2BIG : len;
        out[*count] = c->next;
        c->next += len + 1;
        c->left -= (size_t)len + 1;
    }
    out[*count] = NULL;
    return 0;
}

/* An empty argv (or NULL) becomes {"", NULL}, as since Linux 5.18
 * (fs/exec.c do_execveat_common): a program that starts reading at argv[1]
 * must not walk into envp. */
static void give_empty_argv0(struct arg_copy *c)
{
    if (c->argc)
        return;
    c->argv[0] = "";
    c->argv[1] = NULL;
    c->argc = 1;
}

SYSCALL_DEFINE3(execve, uintptr_t, path_ptr, uintptr_t, argv_ptr, uintptr_t, envp_ptr)
{
    struct proc *p = current_proc();
    struct arg_copy *c = kmalloc(sizeof(*c));
    char *strings = frame_alloc();
    char path[PATH_MAX_LEN];
    int err;

    if (!c || !strings) {
        err = -ENOMEM;
        goto out;
    }
    c->next = strings;
    c->left = ARG_SPACE;
    err = vm_copy_string_in(p->pd, path, path_ptr, sizeof(path));
    if (err >= 0)
        err = copy_string_array(p->pd, argv_ptr, c->argv, &c->argc, c);
    if (err >= 0)
        give_empty_argv0(c);
    if (err >= 0)
        err = copy_string_array(p->pd, envp_ptr, c->envp, &c->envc, c);
    if (err >= 0)
        err = exec_program(p, path, c->argv, c->argc, c->envp, c->envc);
out:
    kfree(c);
    if (strings)
        frame_free(strings);
    if (err == EXEC_BAD_SEGMENTS) /* Linux's bprm_execve: force_fatal_sig(SIGSEGV) */
        proc_exit(WAIT_STATUS_SIGNALED(SIGSEGV) | WAIT_STATUS_CORE);
    return err;
}

/* Splits words at spaces into argv[from...]; returns the new argc. */
static int split_words(char *words, const char *argv[], int argc)
{
    for (char *w = words; *w && argc < MAX_ARGS;) {
        while (*w == ' ')
            *w++ = '\0';
        if (*w)
            argv[argc++] = w;
        while (*w && *w != ' ')
            w++;
    }
    argv[argc] = NULL;
    return argc;
}

#define INIT_UMASK 0022 /* Linux's init_fs.umask: new files are not group or world writable */

bool exec_start_init(void)
{
    static const char *const envp[] = {"HOME=/", "TERM=linux", NULL};
    static char words[BOOT_CMDLINE_MAX];
    const char *argv[MAX_ARGS + 1];
    struct proc *p;
    int argc;

    if (!(p = proc_alloc()))
        return false;
    strlcpy(words, cmdline_init_args(), sizeof(words));
    argv[0] = init_name;
    argc = split_words(words, argv, 1);
    p->sid = p->pgid = p->pid;
    p->umask = INIT_UMASK;
    dev_install_stdio(p);
    if (exec_program(p, init_name, argv, argc, envp, 2) < 0) {
        proc_free(p);
        return false;
    }
    tty_set_controlling(p->sid, p->pgid); /* init's session owns the console */
    p->state = PROC_RUNNABLE;
    return true;
}

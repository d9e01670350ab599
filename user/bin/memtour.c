/* memtour: uses every kind of memory Relay gives a process, so that a kernel test can check
 * that every frame comes back when it exits (kernel/ktest/proc_test.c): a shared anonymous
 * mapping written by a forked child, private and shared file mappings, private anonymous pages touched
 * one by one, a mapping moved by mremap, a PROT_NONE page, and a stack grown by recursion.
 * It exits 0 when what it reads back is right, else the number of the check that failed.
 * Written with raw system calls: Relay's libc has no sys/mman.h. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SYS_MMAP2     192
#define SYS_MUNMAP    91
#define SYS_MREMAP    163
#define SYS_MPROTECT  125
#define PROT_RW       3
#define MAP_SHARED    0x01
#define MAP_PRIVATE   0x02
#define MAP_ANONYMOUS 0x20
#define MREMAP_MAYMOVE 1
#define PAGE          4096
#define FILE_PATH     "/memtour-file"
#define FILE_BYTES    5000
#define ANON_PAGES    64
#define STACK_LEVELS  64 /* of a 4 KiB frame each: 256 KiB of stack */
#define MAPPING_FAILED(p) ((unsigned long)(p) > -4096UL)

static char *map(int pages, int flags, int fd)
{
    return (char *)syscall(SYS_MMAP2, 0, pages * PAGE, PROT_RW, flags, fd, 0);
}

static int recurse(int depth)
{
    volatile char frame[PAGE];

    frame[0] = 1;
    return depth ? recurse(depth - 1) + frame[0] : 0;
}

static char *file_mapping(void)
{
    int fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);
    char block[100];
    char *f, *f2;

    memset(block, 'f', sizeof(block));
    for (int i = 0; i < FILE_BYTES / (int)sizeof(block); i++)
        write(fd, block, sizeof(block));
    f = map(2, MAP_PRIVATE, fd);
    f2 = map(2, MAP_SHARED, fd); /* the file's own frames: they outlive its name */
    if (!MAPPING_FAILED(f2))
        f2[1] = 'x';
    close(fd);
    unlink(FILE_PATH); /* the mapping keeps its copy */
    return f;
}

int main(void)
{
    char *shared = map(4, MAP_SHARED | MAP_ANONYMOUS, -1);
    char *file = file_mapping();
    char *anon = map(ANON_PAGES, MAP_PRIVATE | MAP_ANONYMOUS, -1), *moved;
    int status;

    if (MAPPING_FAILED(shared) || MAPPING_FAILED(file) || MAPPING_FAILED(anon))
        return 1;
    for (int i = 0; i < ANON_PAGES; i += 2)
        anon[i * PAGE] = 1;
    if (fork() == 0) {
        strcpy(shared + 3 * PAGE, "child");
        _exit(recurse(STACK_LEVELS) == STACK_LEVELS ? 0 : 1);
    }
    wait(&status);
    if (status != 0 || strcmp(shared + 3 * PAGE, "child"))
        return 2;
    if (file[FILE_BYTES - 1] != 'f' || file[FILE_BYTES] != 0)
        return 3;
    moved = (char *)syscall(SYS_MREMAP, anon, ANON_PAGES * PAGE, 2 * ANON_PAGES * PAGE,
                            MREMAP_MAYMOVE);
    if (MAPPING_FAILED(moved) || moved[2 * PAGE] != 1)
        return 4;
    syscall(SYS_MPROTECT, moved + PAGE, PAGE, 0); /* a PROT_NONE page, freed at exit too */
    printf("memtour: ok\n");
    return recurse(STACK_LEVELS) == STACK_LEVELS ? 0 : 5; /* exit frees what is left */
}

/* test-exec-elf [FILE...]: execve of hand-made ELF files (elf-image.S), each with one defect.
 * Linux checks the file header before execve's point of no return, so a bad one only makes
 * execve fail (ENOEXEC); the segments it finds bad while mapping them, when the old image is
 * already gone, and the process dies by SIGSEGV. Each file is run in a child. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define EXEC_FAILED 100

static char *const default_files[] = {
    "elf-good", "elf-misaligned", "elf-filesz-over-memsz", "elf-above-task-size",
    "elf-entry-unmapped", "elf-odd-align", "elf-bad-machine", NULL,
};

static void run(char *path)
{
    char *args[] = {path, NULL};
    char *env[] = {NULL};
    pid_t pid;
    int st;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        execve(path, args, env);
        printf("  execve failed: %s\n", errno_name(errno));
        exit(EXEC_FAILED);
    }
    waitpid(pid, &st, 0);
    if (WIFEXITED(st))
        printf("%s: exited %d\n", base_name(path), WEXITSTATUS(st));
    else
        printf("%s: killed by signal %d\n", base_name(path), WTERMSIG(st));
}

int main(int argc, char **argv)
{
    char *const *files = argc > 1 ? argv + 1 : default_files;

    for (int i = 0; files[i]; i++)
        run(files[i]);
    return 0;
}

/* forktree [DEPTH [WIDTH]]: builds a tree of processes, one subtree at a time, so the output
 * order is fixed. Each node checks that its parent is who it should be and exits with the
 * size of its subtree, which its parent adds up. Nodes are named by path: 1, 1.2, 1.2.1.
 * Subtrees stay under 256 processes, the most an exit status can count.
 * Only relations are printed, never pid numbers, so the output is the same on every kernel. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs node NAME at DEPTH; returns how many processes its subtree has, itself included. */
static int node(const char *name, int depth, int width, pid_t parent)
{
    char child[64];
    int i, st, total = 1;
    pid_t self = getpid(), pid;

    printf("node %s: parent ok: %s\n", name, getppid() == parent ? "yes" : "no");
    for (i = 1; depth > 0 && i <= width; i++) {
        snprintf(child, sizeof(child), "%s.%d", name, i);
        pid = fork();
        if (pid < 0) {
            perror("forktree: fork");
            exit(100);
        }
        if (pid == 0)
            exit(node(child, depth - 1, width, self));
        if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) {
            printf("node %s: child %s did not exit normally\n", name, child);
            continue;
        }
        total += WEXITSTATUS(st);
    }
    printf("node %s: subtree of %d\n", name, total);
    return total;
}

int main(int argc, char **argv)
{
    int depth = argc > 1 ? atoi(argv[1]) : 2;
    int width = argc > 2 ? atoi(argv[2]) : 2;
    int total;

    if (depth < 0 || depth > 3 || width < 1 || width > 4) {
        fprintf(stderr, "usage: forktree [DEPTH 0-3 [WIDTH 1-4]]\n");
        return 2;
    }
    total = node("1", depth, width, getppid());
    printf("forktree: %d processes\n", total);
    return 0;
}

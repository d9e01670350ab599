/* test-script: execve of "#!" scripts, compared with Linux: the interpreter gets its optional
 * argument, the script's path and the script's own arguments; a script may name another
 * script, a few times over; errors for a missing interpreter, an empty "#!" line and a file
 * without an x bit. The interpreter is this very program (found through /proc/self/exe). */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define DIR_PATH "/tmp/relay-test-script"
#define DEPTH_SCRIPTS 6

static char self[256];
static char *const env[] = {NULL};

/* Writes a script file with the given first line. */
static void script(const char *path, const char *line, int mode)
{
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, mode);

    write(fd, line, strlen(line));
    write(fd, "\n", 1);
    close(fd);
}

static void run(const char *what, const char *path, char *const argv[])
{
    int status;
    pid_t child = fork();

    if (child == 0) {
        execve(path, argv, env);
        printf("%s: execve = -1 %s\n", what, errno_name(errno));
        exit(0);
    }
    waitpid(child, &status, 0);
}

/* The interpreter's side: what it was given. */
static int interpret(int argc, char **argv)
{
    printf("interpreter: argc %d, argv[1] %s, argv[2] %s", argc, argv[1],
           !strcmp(base_name(argv[2]), "s1") || !strncmp(base_name(argv[2]), "d", 1)
               ? base_name(argv[2]) : "?");
    for (int i = 3; i < argc; i++)
        printf(", argv[%d] %s", i, argv[i]);
    printf("\n");
    return 0;
}

int main(int argc, char **argv)
{
    char line[300], path[64], prev[64];
    int n = (int)readlink("/proc/self/exe", self, sizeof(self) - 1);

    if (argc > 1 && !strcmp(argv[1], "interp-mode"))
        return interpret(argc, argv);
    self[n > 0 ? n : 0] = '\0';
    mkdir("/tmp", 01777);
    mkdir(DIR_PATH, 0755);
    snprintf(line, sizeof(line), "#!%s   interp-mode  ", self);
    script(DIR_PATH "/s1", line, 0755);
    run("a script", DIR_PATH "/s1", (char *const[]){"s1", "one", "two words", NULL});
    strcpy(prev, DIR_PATH "/s1");
    for (int i = 0; i < DEPTH_SCRIPTS; i++) { /* d0 runs s1, d1 runs d0... */
        snprintf(path, sizeof(path), DIR_PATH "/d%d", i);
        snprintf(line, sizeof(line), "#!%s", prev);
        script(path, line, 0755);
        strcpy(prev, path);
    }
    run("3 scripts deep", DIR_PATH "/d2", (char *const[]){"d2", "x", NULL});
    run("7 scripts deep", DIR_PATH "/d5", (char *const[]){"d5", NULL});
    script(DIR_PATH "/missing", "#!/no/such/interpreter", 0755);
    run("a missing interpreter", DIR_PATH "/missing", (char *const[]){"missing", NULL});
    script(DIR_PATH "/empty", "#!", 0755);
    run("an empty #! line", DIR_PATH "/empty", (char *const[]){"empty", NULL});
    script(DIR_PATH "/noexec", line, 0644);
    run("no x bit", DIR_PATH "/noexec", (char *const[]){"noexec", NULL});
    return 0;
}

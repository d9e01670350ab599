/* hello: the first program. Prints a greeting and its arguments. */
#include <stdio.h>

int main(int argc, char **argv)
{
    int i;

    printf("hello, world\n");
    for (i = 0; i < argc; i++)
        printf("argv[%d] = %s\n", i, argv[i]);
    return 0;
}

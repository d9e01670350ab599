/*
 * test-isolation: a user process cannot reach the kernel or the hardware.
 * Each attempt runs in a child, which must die of SIGSEGV while the parent
 * (and the kernel) go on. Ring 3 may not touch supervisor pages, execute
 * privileged instructions, use I/O ports (IOPL 0, no I/O bitmap) or raise
 * interrupt vectors whose gate has DPL 0 (Intel SDM Vol. 3A 5.5-5.9).
 */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define KERNEL_ADDRESS 0xC0100000u

static void read_kernel(void) { (void)*(volatile unsigned int *)KERNEL_ADDRESS; }
static void write_kernel(void) { *(volatile unsigned int *)KERNEL_ADDRESS = 0; }
static void jump_to_kernel(void) { ((void (*)(void))KERNEL_ADDRESS)(); }
static void disable_interrupts(void) { __asm__ volatile("cli"); }
static void halt(void) { __asm__ volatile("hlt"); }
static void read_port(void) { __asm__ volatile("inb $0x60, %%al" ::: "eax"); }
static void write_port(void) { __asm__ volatile("movb $0, %%al; outb %%al, $0x80" ::: "eax"); }
static void raise_irq_vector(void) { __asm__ volatile("int $0x21"); }
static void load_cr3(void) { __asm__ volatile("movl %%eax, %%cr3" : : "a"(0)); }

static void attempt(const char *what, void (*act)(void))
{
    pid_t child;
    int status;

    fflush(stdout);
    child = fork();
    if (child == 0) {
        act();
        _exit(0); /* not reached if the kernel did its job */
    }
    waitpid(child, &status, 0);
    if (WIFSIGNALED(status))
        printf("%-28s killed by signal %d%s\n", what, WTERMSIG(status),
               WTERMSIG(status) == SIGSEGV ? " (SIGSEGV)" : "");
    else
        printf("%-28s exited %d: NOT stopped\n", what, WEXITSTATUS(status));
}

int main(void)
{
    attempt("read kernel memory", read_kernel);
    attempt("write kernel memory", write_kernel);
    attempt("execute kernel code", jump_to_kernel);
    attempt("cli", disable_interrupts);
    attempt("hlt", halt);
    attempt("in from a port", read_port);
    attempt("out to a port", write_port);
    attempt("int $0x21 (an IRQ vector)", raise_irq_vector);
    attempt("mov to cr3", load_cr3);
    printf("the parent goes on: yes\n");
    return 0;
}

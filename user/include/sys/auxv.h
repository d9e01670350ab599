/* The auxiliary vector the kernel puts after envp on the initial stack. */
#ifndef _SYS_AUXV_H
#define _SYS_AUXV_H

#define AT_NULL   0
#define AT_PHDR   3
#define AT_PAGESZ 6
#define AT_ENTRY  9
#define AT_RANDOM 25

/* The value of entry TYPE, or 0 when the kernel gave none. */
unsigned long getauxval(unsigned long type);

#endif

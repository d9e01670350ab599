/* ucontext_t, the third argument of an SA_SIGINFO handler (see sys/ucontext.h). */
#ifndef _UCONTEXT_H
#define _UCONTEXT_H

#include <sys/ucontext.h>

#endif

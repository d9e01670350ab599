/* The argument of set_thread_area and get_thread_area (Linux asm/ldt.h). */
#ifndef _ASM_LDT_H
#define _ASM_LDT_H

struct user_desc {
    unsigned int entry_number; /* -1 asks set_thread_area to choose, and is told which */
    unsigned int base_addr;
    unsigned int limit;
    unsigned int seg_32bit : 1;
    unsigned int contents : 2; /* 0 data, 1 expand-down data, 2-3 code (refused) */
    unsigned int read_exec_only : 1;
    unsigned int limit_in_pages : 1;
    unsigned int seg_not_present : 1;
    unsigned int useable : 1;
};

#endif

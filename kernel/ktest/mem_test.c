/* Suite "mem": the frame allocator and the kernel heap. */
#include "kheap.h"
#include "ktest.h"
#include "memlayout.h"
#include "pmm.h"

#define FRAMES 8

KTEST("mem", frames_are_counted_and_given_back)
{
    void *frames[FRAMES];
    uint32_t before = pmm_free_count();

    for (int i = 0; i < FRAMES; i++) {
        frames[i] = frame_alloc();
        ASSERT_TRUE(frames[i] != NULL);
        EXPECT_EQ((uintptr_t)frames[i] % PAGE_SIZE, 0);
        EXPECT_GE((uintptr_t)frames[i], KERNEL_BASE);
    }
    EXPECT_EQ(pmm_free_count(), before - FRAMES);
    for (int i = 0; i < FRAMES; i++)
        frame_free(frames[i]);
    EXPECT_EQ(pmm_free_count(), before);
}

KTEST("mem", frames_come_zeroed)
{
    uint8_t *f = frame_alloc();
    int nonzero = 0;

    ASSERT_TRUE(f != NULL);
    for (unsigned i = 0; i < PAGE_SIZE; i++)
        nonzero += f[i] != 0;
    EXPECT_EQ(nonzero, 0);
    f[0] = 0xAA;
    frame_free(f);
}

KTEST("mem", kernel_image_and_low_memory_are_not_free)
{
    extern char _kernel_end[];
    /* The allocator never hands out the kernel or the first MiB: over all
     * frames it gives, none is below the end of the kernel image. */
    void *f = frame_alloc();
    ASSERT_TRUE(f != NULL);
    EXPECT_GE(V2P(f), V2P(_kernel_end));
    frame_free(f);
    EXPECT_GT(pmm_total_count(), 1000);
}

KTEST("mem", kmalloc_gives_separate_zeroed_blocks)
{
    uint8_t *a = kmalloc(100), *b = kmalloc(100);

    ASSERT_TRUE(a && b);
    EXPECT_TRUE(a + 100 <= b || b + 100 <= a);
    EXPECT_EQ((uintptr_t)a % 8, 0);
    EXPECT_EQ(a[0] | a[99] | b[0] | b[99], 0);
    a[0] = 1;
    kfree(a);
    kfree(b);
}

KTEST("mem", kmalloc_reuses_freed_blocks)
{
    void *a = kmalloc(40);
    kfree(a);
    EXPECT_TRUE(kmalloc(40) == a); /* the same class hands back its last freed block */
}

KTEST("mem", kmalloc_refuses_what_it_cannot_hold)
{
    void *largest = kmalloc(KMALLOC_MAX);

    EXPECT_TRUE(largest != NULL);
    kfree(largest);
    EXPECT_TRUE(kmalloc(KMALLOC_MAX + 1) == NULL);
    kfree(NULL); /* allowed, does nothing */
}

/*
 * Random bytes: xorshift32 seeded from the TSC. Varied from run to run, but
 * not cryptographic: Relay gathers no entropy (docs/syscalls.md says so).
 * Under -icount the TSC counts instructions, so a run repeats exactly.
 */
#include "random.h"
#include "errno.h"
#include "x86.h"

#define FILL_CHUNK 256

static uint8_t random_byte(void)
{
    static uint32_t state;

    if (!state)
        state = (uint32_t)rdtsc() | 1;
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return (uint8_t)state;
}

long random_fill(struct iobuf buf, size_t count)
{
    uint8_t chunk[FILL_CHUNK];
    size_t done = 0;

    while (done < count) {
        size_t n = MIN(count - done, sizeof(chunk));
        for (size_t i = 0; i < n; i++)
            chunk[i] = random_byte();
        if (iobuf_put(buf, done, chunk, n))
            return done ? (long)done : -EFAULT;
        done += n;
    }
    return (long)done;
}

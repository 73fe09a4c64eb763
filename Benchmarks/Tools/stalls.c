/*
 * stalls: how often, and for how long, a thread that never sleeps loses its CPU.
 *
 * It reads CLOCK_MONOTONIC in a tight loop for two seconds and counts the gaps between two reads
 * longer than 2 us, by size. On an idle machine every gap is an interruption: a timer tick, an
 * interrupt, the hypervisor running something else on this virtual CPU. Run one copy per CPU at
 * once to see the whole machine. It is the floor under any p99 measured here: an operation that
 * keeps two CPUs busy for T us meets a stall with a probability of about 2 * T * (stalls per second
 * per CPU) / 1e6.
 *
 *     cc -O2 -o stalls Benchmarks/Tools/stalls.c && (./stalls & ./stalls; wait)
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

int main(void) {
    static const uint64_t limits_ns[] = {5000, 10000, 20000, 40000, 80000, 160000, 1000000, UINT64_MAX};
    static const char *const labels[] = {"2-5us", "5-10us", "10-20us", "20-40us", "40-80us", "80-160us", "160us-1ms", "1ms+"};
    long counts[8] = {0};
    const uint64_t end = now_ns() + 2000000000u;
    uint64_t previous = now_ns();
    for (;;) {
        const uint64_t t = now_ns();
        const uint64_t gap = t - previous;
        previous = t;
        if (t > end) break;
        if (gap <= 2000) continue;
        for (int i = 0; i < 8; i++) {
            if (gap < limits_ns[i]) { counts[i]++; break; }
        }
    }
    for (int i = 0; i < 8; i++) printf("%s %ld%s", labels[i], counts[i], i < 7 ? ", " : " in 2 s\n");
    return 0;
}

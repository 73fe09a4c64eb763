#define _GNU_SOURCE
#include "baton_system.h"

#include <errno.h>

#if defined(__linux__)
#include <dirent.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/types.h>

int baton_pin_to_cpu(int cpu) {
    cpu_set_t set;
    DIR *tasks;
    struct dirent *task;
    int failure = 0;
    if (cpu < 0 || cpu >= CPU_SETSIZE) return EINVAL;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    /* Every thread of the process (threads started later inherit from their creator): the
       caller may not be the main thread. */
    tasks = opendir("/proc/self/task");
    if (tasks == NULL) return sched_setaffinity(0, sizeof(set), &set) == 0 ? 0 : errno;
    while ((task = readdir(tasks)) != NULL) {
        pid_t tid = (pid_t)strtol(task->d_name, NULL, 10);
        if (tid <= 0) continue;
        if (sched_setaffinity(tid, sizeof(set), &set) != 0 && failure == 0) failure = errno;
    }
    closedir(tasks);
    return failure;
}
#else
int baton_pin_to_cpu(int cpu) {
    (void)cpu;
    return ENOSYS;
}
#endif

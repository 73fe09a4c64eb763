#ifndef BATON_SYSTEM_H
#define BATON_SYSTEM_H

/// Binds every thread of the calling process to one CPU (Linux `sched_setaffinity`), for a skill worker whose
/// entry sets `worker_cpu`. Returns 0, or the errno of the failure (ENOSYS where unsupported).
int baton_pin_to_cpu(int cpu);

#endif

/*
 * The CPUs a wrapper of the compiled job launcher (job-wrapper.c) binds itself to: the part of BoundCpus.java that
 * runs in the wrapper, as bind_cpus in job-wrapper.pl.
 */
#define _GNU_SOURCE
#include "job-launcher.h"
#include <errno.h>
#include <sched.h>
#include <stdlib.h>

/*
 * Binds this process, and so the script and all it starts, to the CPUs the node-runner chose for the attempt
 * (BoundCpus.java): comma-separated ids, none when empty. Done before the claim, so that a restarted node-runner that
 * finds the wrapper by its claim reads the CPUs back from its /proc/PID/status. 0, or the errno of a failure (the
 * CPUs are then not the node's to give: the job runs unbound, which is said on its stderr).
 */
int bind_cpus(const char *cpus) {
    if (*cpus == '\0') {
        return 0;
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    for (const char *at = cpus; *at != '\0';) {
        char *end;
        long cpu = strtol(at, &end, 10);
        if (end == at || cpu < 0 || cpu >= CPU_SETSIZE || (*end != ',' && *end != '\0')) {
            return EINVAL;
        }
        CPU_SET((int) cpu, &set);
        at = *end == ',' ? end + 1 : end;
    }
    return sched_setaffinity(0, sizeof set, &set) == 0 ? 0 : errno;
}

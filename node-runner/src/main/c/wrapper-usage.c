/*
 * What a job's script and the processes reaped below it used, for the wrapper's status line (job-wrapper.c,
 * WrapperStatus.java): getrusage's CPU and memory peak, and the wrapper's own I/O counts.
 */
#define _GNU_SOURCE
#include "job-launcher.h"
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

/*
 * The fourth to sixth fields of the status line (WrapperStatus.java), READ and WRITE (own_io) after them: what the
 * script and the processes reaped below it used (getrusage's children: the script, what it waited for, and the
 * orphans this subreaper reaped), CPU in user and in kernel mode in microseconds, and the largest of their resident
 * sizes in bytes (ru_maxrss is in KiB); "- - -" when unknown. Where the attempt has a cgroup the node-runner prefers
 * the cgroup's counters, which also count what was still running at the script's end.
 */
void usage_fields(char *text, size_t size) {
    struct rusage used;
    if (getrusage(RUSAGE_CHILDREN, &used) != 0) {
        snprintf(text, size, "- - -");
        return;
    }
    snprintf(text, size, "%lld %lld %lld", (long long) used.ru_utime.tv_sec * 1000000 + used.ru_utime.tv_usec,
            (long long) used.ru_stime.tv_sec * 1000000 + used.ru_stime.tv_usec, (long long) used.ru_maxrss * 1024);
}

/*
 * This wrapper's own read_bytes and write_bytes (/proc/self/io), into the two; 0, or -1 when they cannot be read (a
 * kernel without task I/O accounting). Once it has reaped the script and the orphans, the kernel has added all of
 * their counts to its own (WrapperStatus.java's READ and WRITE).
 */
int own_io(long long *read, long long *written) {
    FILE *f = fopen("/proc/self/io", "re");
    if (f == NULL) {
        return -1;
    }
    char key[32];
    long long value;
    *read = -1;
    *written = -1;
    while (fscanf(f, "%31s %lld", key, &value) == 2) {
        if (strcmp(key, "read_bytes:") == 0) {
            *read = value;
        } else if (strcmp(key, "write_bytes:") == 0) {
            *written = value;
        }
    }
    fclose(f);
    return *read < 0 || *written < 0 ? -1 : 0;
}

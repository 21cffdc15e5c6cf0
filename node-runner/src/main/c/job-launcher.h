/* What job-launcher.c, job-wrapper.c and launcher-requests.c share: the launcher's state a forked wrapper takes
   over, and the functions each gives the others. */
#ifndef CADRE_JOB_LAUNCHER_H
#define CADRE_JOB_LAUNCHER_H

#include <signal.h>
#include <stddef.h>

/* The pipe SIGCHLD wakes the launcher through; a wrapper closes both ends. */
extern int wake[2];
/* The launcher's argument area: what /proc/PID/cmdline shows, and its length. */
extern char *arg_area;
extern size_t arg_room;
/* The dispositions the launcher was started with, which the jobs get. */
extern struct sigaction inherited_hup, inherited_pipe;
/* The signals a wrapper blocks (shield_set). */
extern sigset_t shielded;

/* A request longer than this is refused as bad framing rather than buffered without end. */
#define MAX_REQUEST (64L * 1024 * 1024)

/* The length of the netstring at p, with *payload and *size its bytes: 0 while incomplete, -1 when bad. */
long netstring(char *p, long available, char **payload, long *size);

/* Splits one request's payload into NUL-ended fields, in place; their count, or -1 when the framing is bad. */
int fields_of(char *payload, long size, char ***fields);

void show_as(const char *prefix, const char *rest);

/* Fills the set with the signals a wrapper blocks, so that those sent to the job's process group spare it. */
void shield_set(sigset_t *set);

/* Opens one of a job's streams; -1 with *reason (to free; NULL when out of memory) when it cannot be the job's. */
int open_stream(const char *path, int flags, char **reason);

/* USER SYSTEM MAXRSS of the status line, from getrusage's children; "- - -" when unknown (wrapper-usage.c). */
void usage_fields(char *text, size_t size);

/* This process's read_bytes and write_bytes (/proc/self/io); 0, or -1 when they cannot be read (wrapper-usage.c). */
int own_io(long long *read, long long *written);

/* Binds this process to the CPUs (comma-separated ids, none when empty): 0, or the errno of a failure
   (wrapper-cpus.c). */
int bind_cpus(const char *cpus);

/* Runs in the launcher's child: binds itself to the CPUs (comma-separated ids, none when empty), takes the claim,
   joins the cgroup (none when empty), runs the command with the nenv NAME VALUE pairs at env as its environment,
   records its end; never returns. */
void wrapper(const char *status, const char *claim, const char *name, const char *cgroup, const char *cpus,
        const char *dir, int in, int out, int err, char **env, long nenv, char **command) __attribute__((noreturn));

#endif

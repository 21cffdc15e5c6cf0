/*
 * The least CPU a trivial job's processes can cost on this machine: posix_spawn /bin/sh on a script that runs
 * `true`, as the node's wrapper does, and wait, N times. No scheduler, no wrapper, no files. Run by
 * bench/run-spawn-floor.sh, which prints the figures docs/benchmarks.md compares the throughput bench with.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: spawn-floor RUNS SCRIPT\n");
        return 2;
    }
    long runs = strtol(argv[1], NULL, 10);
    if (runs < 1 || runs > 10000000) {
        fprintf(stderr, "spawn-floor: RUNS must be from 1 to 10000000, not '%s'\n", argv[1]);
        return 2;
    }
    char *args[] = {"/bin/sh", argv[2], NULL};
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < runs; i++) {
        pid_t pid;
        int status;
        if (posix_spawn(&pid, "/bin/sh", NULL, NULL, args, environ) != 0 || waitpid(pid, &status, 0) != pid
                || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "spawn-floor: run %ld of /bin/sh %s failed\n", i, argv[2]);
            return 1;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double ms = (end.tv_sec - start.tv_sec) * 1e3 + (end.tv_nsec - start.tv_nsec) / 1e6;
    printf("%ld runs in %.0f ms: %.3f ms each\n", runs, ms, ms / runs);
    return 0;
}

/*
 * The wrapper half of the compiled job launcher (job-launcher.c): what each forked child does for its attempt,
 * as the wrapper sub of job-wrapper.pl does it.
 */
#define _GNU_SOURCE
#include "job-launcher.h"
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* What /proc/PID/cmdline shows: the text, then NULs to the end of the argument area. */
void show_as(const char *prefix, const char *rest) {
    memset(arg_area, 0, arg_room);
    snprintf(arg_area, arg_room, "%s%s", prefix, rest);
}

/*
 * Spawns the command as execvp(3) would run it: by PATH, and a file with no #! line by /bin/sh; with no signal
 * blocked, not the ones this wrapper blocks (shielded).
 */
static int spawn(char **command, pid_t *pid) {
    posix_spawnattr_t attr;
    sigset_t none;
    sigemptyset(&none);
    int err = posix_spawnattr_init(&attr);
    if (err == 0) {
        err = posix_spawnattr_setsigmask(&attr, &none);
    }
    if (err == 0) {
        err = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
    }
    if (err == 0) {
        err = posix_spawnp(pid, command[0], NULL, &attr, command, environ);
    }
    if (err == ENOEXEC) {
        int n = 0;
        while (command[n] != NULL) {
            n++;
        }
        char **sh = calloc((size_t) n + 2, sizeof *sh);
        if (sh == NULL) {
            err = ENOMEM;
        } else {
            sh[0] = "/bin/sh";
            memcpy(sh + 1, command, ((size_t) n + 1) * sizeof *sh);
            err = posix_spawn(pid, "/bin/sh", NULL, &attr, sh, environ);
            free(sh);
        }
    }
    posix_spawnattr_destroy(&attr);
    return err;
}

/* 0 once all of it is written, else -1 with errno (a full file system writes part, then fails with ENOSPC). */
static int write_all(int fd, const char *text, size_t length) {
    while (length > 0) {
        ssize_t n = write(fd, text, length);
        if (n < 0 && errno != EINTR) {
            return -1;
        }
        if (n > 0) {
            text += n;
            length -= (size_t) n;
        }
    }
    return 0;
}

/* Writes the status file, by a rename so that it is never seen in part; 0, or -1 with errno. */
static int record(const char *status, const char *line) {
    size_t size = strlen(status) + 8;
    char *temporary = malloc(size);
    if (temporary == NULL) {
        errno = ENOMEM;
        return -1;
    }
    snprintf(temporary, size, "%s.tmp", status);
    int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    int failed = fd < 0 || write_all(fd, line, strlen(line)) != 0;
    if (fd >= 0 && close(fd) != 0) {
        failed = 1;
    }
    if (!failed && rename(temporary, status) != 0) {
        failed = 1;
    }
    if (failed) {
        int saved = errno;
        unlink(temporary);
        errno = saved;
    }
    free(temporary);
    return failed ? -1 : 0;
}

/*
 * The signals a wrapper blocks, as job-wrapper.pl's $shielded: the script shares the wrapper's process group, so a
 * script's `kill -USR1 0` or `trap 'kill 0' EXIT` reaches the wrapper too, which would die of it without recording
 * the script's end. Blocked, they stay pending until the wrapper exits. Not blocked: what cannot be (KILL, STOP),
 * what ends no process by default (CHLD, CONT, WINCH, URG), the stops (discarded by the kernel in the wrapper's
 * orphaned process group), the faults a wrapper could raise itself (SEGV, BUS, ILL, FPE, TRAP, SYS), and the C
 * library's own signals between SIGSYS and SIGRTMIN. Cadre's kills still end the job: its SIGTERM ends the script,
 * whose end the wrapper records, and SIGKILL ends the wrapper too.
 */
void shield_set(sigset_t *set) {
    sigemptyset(set);
    for (int sig = 1; sig <= SIGRTMAX; sig++) {
        switch (sig) {
        case SIGKILL: case SIGSTOP: case SIGCHLD: case SIGCONT: case SIGWINCH: case SIGURG:
        case SIGTSTP: case SIGTTIN: case SIGTTOU:
        case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP: case SIGSYS:
            continue;
        default:
            if (sig < SIGSYS || sig >= SIGRTMIN) {
                sigaddset(set, sig);
            }
        }
    }
}

/* NAME VALUE pairs as exec(2) takes them, NAME=VALUE: made in the wrapper, so the launcher's loop does not. */
static char **environment(char **pairs, long count) {
    char **env = calloc((size_t) count + 1, sizeof *env);
    for (long i = 0; env != NULL && i < count; i++) {
        if (asprintf(&env[i], "%s=%s", pairs[2 * i], pairs[2 * i + 1]) < 0) {
            return NULL;
        }
    }
    return env;
}

/*
 * Moves this process into the attempt's cgroup, so that everything the job starts is in it, whatever it does with
 * sessions (setsid, a double-forking daemon): the node-runner's kills and its check that nothing of the job is left
 * go by it. O_CREAT is not given: a path that is no cgroup must fail, not get a file of that name. On failure the
 * reason, with the path and errno, goes to stderr and to the attempt directory's "failed" (AttemptDirectory), which
 * the node-runner reports as the attempt's failure; nothing of the job has run.
 */
static void join_cgroup(const char *cgroup) {
    char *procs = NULL;
    int failed = ENOMEM;
    if (asprintf(&procs, "%s/cgroup.procs", cgroup) >= 0) {
        int fd = open(procs, O_WRONLY | O_CLOEXEC);
        char pid[32];
        int length = snprintf(pid, sizeof pid, "%ld\n", (long) getpid());
        failed = fd < 0 || write_all(fd, pid, (size_t) length) != 0 ? errno : 0;
        if (fd >= 0 && close(fd) != 0 && failed == 0) {
            failed = errno;
        }
    }
    free(procs);
    if (failed == 0) {
        return;
    }
    char line[4096];
    snprintf(line, sizeof line, "cannot join the cgroup %s: %s (errno %d)\n", cgroup, strerror(failed), failed);
    dprintf(2, "cadre: %s", line);
    if (record("failed", line) != 0) {
        dprintf(2, "cadre: cannot record that in failed: %s\n", strerror(errno));
    }
    _exit(126);
}

void wrapper(const char *status, const char *claim, const char *name, const char *cgroup, const char *cpus,
        const char *dir, int in, int out, int err, char **pairs, long nenv, char **command) {
    /* First of all, so that /proc/PID/cmdline names the claim once the claim exists. */
    show_as("cadre-wrapper ", claim);
    sigprocmask(SIG_BLOCK, &shielded, NULL);
    int unbound = bind_cpus(cpus);
    /* The claim is taken while this process still holds the launcher's stdout: once the node-runner reads the
       end of that pipe, every wrapper of the launcher has taken its claim or ended (JobStarter relies on it). */
    int won = 0;
    char mine[64];
    long self = (long) getpid();
    size_t size = strlen(name) + 32;
    char *taking = malloc(size);
    if (taking != NULL) {
        snprintf(taking, size, "%s.%ld", name, self);
        int fd = open(taking, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd >= 0) {
            int length = snprintf(mine, sizeof mine, "%ld\n", self);
            /* A claim cut short (a full file system) would name no pid: none is taken, and nothing runs. */
            int written = write_all(fd, mine, (size_t) length) == 0;
            if (close(fd) == 0 && written) {
                won = link(taking, name) == 0;
            } else {
                dprintf(2, "cadre-wrapper: cannot write the claim %s: %s\n", claim, strerror(errno));
            }
            unlink(taking);
        }
    }
    /* The job's streams replace the launcher's pipes and log; nothing else of the launcher stays open. */
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    close(in);
    close(out);
    if (err != out) {
        close(err);
    }
    close(wake[0]);
    close(wake[1]);
    if (!won) {
        _exit(125);
    }
    if (unbound != 0) {
        dprintf(2, "cadre: cannot bind the job to CPUs %s: %s; it runs on any\n", cpus, strerror(unbound));
    }
    if (*cgroup != '\0') {
        join_cgroup(cgroup);
    }
    signal(SIGCHLD, SIG_DFL);
    sigaction(SIGHUP, &inherited_hup, NULL);
    sigaction(SIGPIPE, &inherited_pipe, NULL);
    if (setsid() < 0) {
        dprintf(2, "cadre: setsid: %s\n", strerror(errno));
        _exit(126);
    }
    if (chdir(dir) < 0) {
        dprintf(2, "cadre: cannot enter %s: %s\n", dir, strerror(errno));
        _exit(126);
    }
    /* The job's environment, whose PATH the spawn also searches, as the perl wrapper's %ENV. */
    char **env = environment(pairs, nenv);
    if (env == NULL) {
        dprintf(2, "cadre: out of memory for the job's environment\n");
        _exit(126);
    }
    environ = env;
    /* As the job's child subreaper this wrapper stays the ancestor of every process the job starts, so once the
       script has ended one wait(2) tells whether anything of the job still runs (see job-wrapper.pl). */
    int reaper = prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
    /* What this wrapper did itself before the script (its claim's write) is no part of the job's figures. */
    long long read_before, written_before;
    int io_known = own_io(&read_before, &written_before) == 0;
    pid_t pid = 0;
    int failed;
    /* As JobWrapper: exec fails with ETXTBSY while another fork briefly holds the script's write descriptor. */
    for (int tries = 0;; tries++) {
        failed = spawn(command, &pid);
        if (failed != ETXTBSY || tries >= 200) {
            break;
        }
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    int e = 127, g = 0;
    if (failed) {
        dprintf(2, "cadre: cannot run the job script: %s\n", strerror(failed));
    } else {
        /* Orphans of the job become this subreaper's children: reaped as they end, not left as zombies until the
           script ends. */
        int ended = 127 << 8;
        for (;;) {
            int reaped_status;
            pid_t reaped = waitpid(-1, &reaped_status, 0);
            if (reaped == pid) {
                ended = reaped_status;
                break;
            }
            if (reaped < 0 && errno != EINTR) {
                break;
            }
        }
        e = (ended >> 8) & 0xff;
        g = ended & 127;
    }
    /* The third field: 0 when nothing of the job runs any more, 1 when something does, - when it cannot be told. */
    const char *left = "-";
    if (reaper) {
        pid_t reaped;
        int ignored;
        while ((reaped = waitpid(-1, &ignored, WNOHANG)) > 0) {
        }
        left = reaped < 0 && errno == ECHILD ? "0" : "1";
    }
    char used[160];
    usage_fields(used, sizeof used);
    long long read_after, written_after;
    size_t length = strlen(used);
    if (io_known && own_io(&read_after, &written_after) == 0 && read_after >= read_before
            && written_after >= written_before) {
        snprintf(used + length, sizeof used - length, " %lld %lld", read_after - read_before,
                written_after - written_before);
    } else {
        snprintf(used + length, sizeof used - length, " - -");
    }
    char line[224];
    snprintf(line, sizeof line, "%d %d %s %s\n", e, g, left, used);
    /* Without its status file the node-runner still has this exit value, which says the same but for the third
       field and the usage. */
    if (record(status, line) != 0) {
        dprintf(2, "cadre: cannot record the job's end in %s: %s\n", status, strerror(errno));
    }
    _exit(g ? 128 + g : e);
}

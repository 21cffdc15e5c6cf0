/*
 * Cadre's job launcher, compiled: the same program as job-launcher.pl beside JobLauncher.java (read its header
 * for what the launcher and its wrappers do, and why), with the same requests, answers, claims and status files,
 * so the node-runner drives either the same way. It exists for speed: through it a trivial job's processes cost
 * about 1.4 ms of CPU less in the throughput benchmark (docs/benchmarks.md), since forking this small process and
 * spawning the script (posix_spawn, which shares the wrapper's memory instead of copying it) cost less than
 * forking perl twice and running perl in each wrapper.
 * The node-runner's build compiles it where a C compiler is found; JobLauncher falls back to the perl launcher
 * where its jar holds no build for the machine, or the build does not start.
 *
 * argv[1] is room only: a wrapper writes "cadre-wrapper CLAIM" over the argument area, the one place that
 * /proc/PID/cmdline shows (AttemptDirectory.isWrapper reads it there), so the area bounds the claim's length.
 */
#define _GNU_SOURCE
#include "job-launcher.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

static int answering = 1;
int wake[2];
static long children;
char *arg_area;
size_t arg_room;
/* The jobs get the dispositions this process was started with, not the ones it sets for itself. */
struct sigaction inherited_hup, inherited_pipe;
sigset_t shielded;

static void on_child(int sig) {
    (void) sig;
    int saved = errno;
    ssize_t ignored = write(wake[1], "x", 1);
    (void) ignored;
    errno = saved;
}

static void answer(const char *line) {
    size_t length = strlen(line), done = 0;
    while (answering && done < length) {
        ssize_t n = write(1, line + done, length - done);
        if (n >= 0) {
            done += (size_t) n;
        } else if (errno != EINTR) {
            answering = 0; /* the node-runner is gone; the wrappers' status files still tell */
        }
    }
}

static void reap(void) {
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        children--;
        char line[64];
        snprintf(line, sizeof line, "ended %ld %d\n", (long) pid, status);
        answer(line);
    }
}

/* A reason is one line however odd the paths in it are. */
static void refuse(const char *id, const char *format, ...) {
    va_list args;
    va_start(args, format);
    char *reason = NULL;
    int length = vasprintf(&reason, format, args);
    va_end(args);
    char *line = NULL;
    if (length < 0 || asprintf(&line, "failed %s %s\n", id, reason) < 0) {
        line = NULL;
    }
    free(length < 0 ? NULL : reason);
    if (line == NULL) {
        answer("failed ");
        answer(id);
        answer(" out of memory\n");
        return;
    }
    for (char *c = line + strlen("failed "); c[1] != '\0'; c++) {
        if (*c == '\r' || *c == '\n') {
            *c = '?';
        }
    }
    answer(line);
    free(line);
}

/* fields: launch ID STATUS CLAIM CGROUP CPUS WORKDIR STDIN STDOUT STDERR APPEND NENV NAME1 VALUE1 ... COMMAND... */
static int launch(char **fields, int count) {
    if (count < 13) {
        return -1;
    }
    const char *id = fields[1], *status = fields[2], *claim = fields[3], *cgroup = fields[4], *cpus = fields[5];
    const char *dir = fields[6], *in_path = fields[7], *out_path = fields[8], *err_path = fields[9];
    int append = strcmp(fields[10], "1") == 0;
    char *end;
    long nenv = strtol(fields[11], &end, 10);
    if (*fields[11] == '\0' || *end != '\0' || nenv < 0 || nenv > (count - 13) / 2) {
        return -1;
    }
    /* The id goes back in answers, which are lines of words: digits only. */
    size_t digits = strspn(id, "0123456789");
    if (digits == 0 || digits > 18 || id[digits] != '\0') {
        return -1;
    }
    char **env = fields + 12;
    char **command = env + 2 * nenv;
    if (strlen("cadre-wrapper ") + strlen(claim) + 1 > arg_room) {
        refuse(id, "claim %s is longer than the launcher can show (%zu bytes)", claim, arg_room);
        return 0;
    }
    /* Opened here, before the fork, so that a path the job cannot write fails the launch with its reason. */
    int mode = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC);
    char *reason = NULL;
    int in = open_stream(in_path, O_RDONLY, &reason);
    int out = in < 0 ? -1 : open_stream(out_path, mode, &reason);
    int err = out < 0 || *err_path == '\0' ? out : open_stream(err_path, mode, &reason);
    if (err < 0) {
        refuse(id, "%s", reason == NULL ? "out of memory" : reason);
        free(reason);
        if (in >= 0) {
            close(in);
        }
        if (out >= 0) {
            close(out);
        }
        return 0;
    }
    /* The wrapper starts in the attempt's directory and takes its claim by a name relative to it: a wrapper slow
       to get that far cannot then claim a directory that a restarted node-runner removed and made anew. */
    const char *slash = strrchr(claim, '/');
    if (slash == NULL || slash[1] == '\0') {
        refuse(id, "claim %s names no directory", claim);
    } else {
        size_t length = (size_t) (slash - claim);
        char *attempt = strndup(claim, length);
        if (attempt == NULL) {
            refuse(id, "out of memory");
        } else if (chdir(attempt) != 0) {
            refuse(id, "cannot enter %s: %s", attempt, strerror(errno));
        } else {
            pid_t pid = fork();
            if (pid == 0) {
                wrapper(status, claim, slash + 1, cgroup, cpus, dir, in, out, err, env, nenv, command);
            }
            int forked = errno;
            if (chdir("/") != 0) {
                dprintf(2, "cadre-job-launcher: cannot return to /: %s\n", strerror(errno));
            }
            if (pid < 0) {
                refuse(id, "cannot fork: %s", strerror(forked));
            } else {
                children++;
                char line[96];
                snprintf(line, sizeof line, "started %s %ld\n", id, (long) pid);
                answer(line);
            }
        }
        free(attempt);
    }
    close(in);
    close(out);
    if (err != out) {
        close(err);
    }
    return 0;
}

int main(int argc, char **argv) {
    arg_area = argv[0];
    arg_room = (size_t) (argv[argc - 1] + strlen(argv[argc - 1]) + 1 - argv[0]);
    sigaction(SIGHUP, NULL, &inherited_hup);
    sigaction(SIGPIPE, NULL, &inherited_pipe);
    shield_set(&shielded);
    if (setsid() < 0) {
        fprintf(stderr, "cadre-job-launcher: setsid: %s\n", strerror(errno));
    }
    if (chdir("/") != 0) { /* so as not to hold the node-runner's directory busy */
        fprintf(stderr, "cadre-job-launcher: cannot enter /: %s\n", strerror(errno));
    }
    show_as("cadre-job-launcher", "");
    prctl(PR_SET_NAME, "cadre-job-launc", 0, 0, 0);
    /* The JVM's thread that started this process blocks SIGQUIT; jobs start with nothing blocked. */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    /* SIGCHLD writes to this pipe, so that select() wakes for a child that ends just before it is entered. */
    if (pipe2(wake, O_NONBLOCK | O_CLOEXEC) != 0) {
        fprintf(stderr, "cadre-job-launcher: pipe: %s\n", strerror(errno));
        return 1;
    }
    struct sigaction child = {0};
    child.sa_handler = on_child;
    child.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigemptyset(&child.sa_mask);
    sigaction(SIGCHLD, &child, NULL);

    answer("ready\n");
    long capacity = 65536, length = 0;
    char *buffer = malloc((size_t) capacity);
    if (buffer == NULL) {
        return 1;
    }
    int accepting = 1;
    while (accepting || children > 0) {
        reap();
        if (!accepting && children <= 0) {
            break;
        }
        fd_set readable;
        FD_ZERO(&readable);
        FD_SET(wake[0], &readable);
        if (accepting) {
            FD_SET(0, &readable);
        }
        /* The timeout is a backstop only: SIGCHLD and requests wake it. */
        struct timeval backstop = {5, 0};
        if (select(wake[0] + 1, &readable, NULL, NULL, &backstop) <= 0) {
            continue;
        }
        if (FD_ISSET(wake[0], &readable)) {
            char drained[256];
            while (read(wake[0], drained, sizeof drained) > 0) {
            }
        }
        if (!accepting || !FD_ISSET(0, &readable)) {
            continue;
        }
        if (capacity - length < 65536) {
            char *more = realloc(buffer, (size_t) capacity * 2);
            if (more == NULL) {
                fprintf(stderr, "cadre-job-launcher: out of memory for requests\n");
                return 1;
            }
            buffer = more;
            capacity *= 2;
        }
        ssize_t got = read(0, buffer + length, 65536);
        if (got <= 0) {
            if (got < 0 && errno == EINTR) {
                continue;
            }
            accepting = 0; /* the node-runner closed our stdin or died: no more work, but the wrappers run on */
            continue;
        }
        length += got;
        long at = 0;
        const char *bad = NULL;
        for (;;) {
            char *payload;
            long size;
            long used = netstring(buffer + at, length - at, &payload, &size);
            if (used == 0) {
                break;
            }
            char **fields;
            int count = used < 0 ? -1 : fields_of(payload, size, &fields);
            if (count < 0) {
                bad = "bad request framing";
                break;
            }
            if (count == 0 || strcmp(fields[0], "launch") != 0) {
                bad = "unknown request";
            } else if (launch(fields, count) != 0) {
                bad = "bad launch request";
            }
            free(fields);
            if (bad != NULL) {
                break;
            }
            at += used;
        }
        if (bad != NULL) {
            /* The node-runner sent what it never should: stop answering it, so that it starts another launcher. */
            fprintf(stderr, "cadre-job-launcher: %s\n", bad);
            accepting = 0;
            answering = 0;
            close(1);
            continue;
        }
        memmove(buffer, buffer + at, (size_t) (length - at));
        length -= at;
    }
    return 0;
}

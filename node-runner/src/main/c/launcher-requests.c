/*
 * Reading the compiled job launcher's requests (job-launcher.c): netstrings of netstrings, as LauncherWire.java
 * writes them and job-launcher.pl's next_request reads them; and opening the files a launch request names.
 */
#define _GNU_SOURCE
#include "job-launcher.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

long netstring(char *p, long available, char **payload, long *size) {
    long n = 0, i = 0;
    while (i < available && p[i] >= '0' && p[i] <= '9') {
        if (++i > 9) {
            return -1;
        }
        n = n * 10 + (p[i - 1] - '0');
    }
    if (i == available) {
        return 0;
    }
    if (i == 0 || p[i] != ':') {
        return -1;
    }
    if (available < i + 1 + n + 1) {
        return n > MAX_REQUEST ? -1 : 0;
    }
    if (p[i + 1 + n] != ',') {
        return -1;
    }
    *payload = p + i + 1;
    *size = n;
    return i + 1 + n + 1;
}

/* Each field's ',' becomes its NUL. */
int fields_of(char *payload, long size, char ***fields) {
    int count = 0, room = 32;
    char **list = malloc((size_t) room * sizeof *list);
    if (list == NULL) {
        return -1;
    }
    long at = 0;
    while (at < size) {
        char *field;
        long length;
        long used = netstring(payload + at, size - at, &field, &length);
        if (used <= 0 || memchr(field, '\0', (size_t) length) != NULL) {
            free(list);
            return -1;
        }
        field[length] = '\0';
        if (count + 1 >= room) {
            room *= 2;
            char **more = realloc(list, (size_t) room * sizeof *list);
            if (more == NULL) {
                free(list);
                return -1;
            }
            list = more;
        }
        list[count++] = field;
        at += used;
    }
    list[count] = NULL;
    *fields = list;
    return count;
}

/* Sets *reason (NULL when out of memory) and returns -1. */
static int failure(char **reason, const char *format, ...) {
    va_list args;
    va_start(args, format);
    if (vasprintf(reason, format, args) < 0) {
        *reason = NULL;
    }
    va_end(args);
    return -1;
}

/* What a file is when a job's stream cannot be it; NULL for a regular file or a character device (/dev/null). */
static const char *unusable_kind(mode_t mode) {
    if (S_ISREG(mode) || S_ISCHR(mode)) {
        return NULL;
    }
    return S_ISFIFO(mode) ? "a FIFO" : S_ISSOCK(mode) ? "a socket" : S_ISDIR(mode) ? "a directory"
            : S_ISBLK(mode) ? "a block device" : "no regular file";
}

/*
 * Opened without blocking: an open(2) of a FIFO waits for its other end, and would hold this single-threaded
 * launcher, and every job of the node with it, for as long. Only a regular file or a character device is taken: a
 * FIFO would make the job wait on whoever holds its other end, and a directory or a device of blocks is no stream.
 */
int open_stream(const char *path, int flags, char **reason) {
    int fd = open(path, flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0666);
    struct stat st;
    const char *kind = NULL;
    if (fd < 0) {
        int failed = errno;
        /* A FIFO without a reader fails with ENXIO, which would say nothing to whoever gave the path. */
        if (stat(path, &st) == 0) {
            kind = unusable_kind(st.st_mode);
        }
        if (kind == NULL) {
            return failure(reason, "cannot open %s: %s", path, strerror(failed));
        }
    } else if (fstat(fd, &st) != 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        int failed = errno;
        close(fd);
        return failure(reason, "cannot open %s: %s", path, strerror(failed));
    } else {
        kind = unusable_kind(st.st_mode);
    }
    if (kind != NULL) {
        if (fd >= 0) {
            close(fd);
        }
        return failure(reason, "cannot open %s: it is %s; a job's stream must be a regular file or a character"
                " device such as /dev/null", path, kind);
    }
    return fd;
}

/*
 * Reading the compiled job launcher's requests (job-launcher.c): netstrings of netstrings, as LauncherWire.java
 * writes them and job-launcher.pl's next_request reads them.
 */
#include "job-launcher.h"
#include <stdlib.h>
#include <string.h>

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


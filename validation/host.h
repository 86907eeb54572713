/* What both native programs of the validation need from the host: errors, a monotonic clock, the fault counters of
 * getrusage and their memory cgroup's charge. Define PROG (the program's name for messages) before including this file. */
#ifndef HVSIM_VALIDATION_HOST_H
#define HVSIM_VALIDATION_HOST_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static void die(const char *what) { fprintf(stderr, PROG ": %s: %s\n", what, strerror(errno)); exit(1); }
static void usage(const char *msg) { fprintf(stderr, PROG ": %s\n", msg); exit(2); }

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* The process's major and minor faults so far (getrusage RUSAGE_SELF). */
static void faults(long *maj, long *min)
{
    struct rusage u;
    if (getrusage(RUSAGE_SELF, &u)) die("getrusage");
    *maj = u.ru_majflt; *min = u.ru_minflt;
}

/* CPU time the process has used so far in the kernel (system) and in user mode, ns (getrusage RUSAGE_SELF). */
static inline void cpu_times(int64_t *sys_ns, int64_t *user_ns)
{
    struct rusage u;
    if (getrusage(RUSAGE_SELF, &u)) die("getrusage");
    *sys_ns = (int64_t)u.ru_stime.tv_sec * 1000000000 + (int64_t)u.ru_stime.tv_usec * 1000;
    *user_ns = (int64_t)u.ru_utime.tv_sec * 1000000000 + (int64_t)u.ru_utime.tv_usec * 1000;
}

/* memory.stat of this process's v1 memory cgroup (or the v2 one), found from /proc/self/cgroup. */
static void memcg_stat_path(char *path, size_t size)
{
    FILE *f = fopen("/proc/self/cgroup", "r");
    char line[512];
    path[0] = 0;
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2) continue;
        *c2 = 0;
        if (!strcmp(c1 + 1, "memory")) { snprintf(path, size, "/sys/fs/cgroup/memory%s/memory.stat", c2 + 1); break; }
    }
    fclose(f);
}

/* A single number from a cgroup file next to memory.stat (e.g. memory.usage_in_bytes). */
static long long cg_value(const char *stat_path, const char *file)
{
    char path[700];
    long long v = -1;
    const char *slash = strrchr(stat_path, '/');
    if (!slash) return -1;
    snprintf(path, sizeof path, "%.*s/%s", (int)(slash - stat_path), stat_path, file);
    FILE *f = fopen(path, "r");
    if (f) { if (fscanf(f, "%lld", &v) != 1) v = -1; fclose(f); }
    return v;
}

#endif

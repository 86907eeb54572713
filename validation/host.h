/* What both native programs of the validation need from the host: errors, a monotonic clock and the fault counters
 * of getrusage. Define PROG (the program's name for messages) before including this file. */
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

#endif

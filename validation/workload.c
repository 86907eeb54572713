/*
 * HvSim validation workload: the access stream of an HvSim guest, run as a plain Linux process.
 *
 * Maps --mib MiB of anonymous memory (MADV_NOHUGEPAGE: 4 KiB pages, as HvSim's host.page_size: 4KiB), writes every
 * page once, then makes a warm-up of at most --warmup W accesses (ending early, at a multiple of 256 accesses, once
 * --warmup-faults F faults were taken: F = a few times the resident pages is a few cache turnovers) and --accesses K accesses drawn from a uniform, Zipf(alpha) or hot/cold stream
 * (xoshiro256** seeded with --seed; each access a store with probability --store). The measured K accesses are
 * timed one by one and classified by getrusage(RUSAGE_SELF) (ru_majflt/ru_minflt moved: a faulting access).
 *
 * Prints key=value lines on stdout (validation/run.sh turns them into one CSV row):
 *   maj_faults, min_faults       getrusage deltas over the measured window
 *   stall_ns                     summed latency of the faulting accesses of the window
 *   wall_ns                      the window's wall time
 *   stime_ns, utime_ns           system and user CPU time of the window (getrusage; includes one getrusage call per
 *                                access, which a run without faults measures alone)
 *   write_stime_ns               system CPU time of the first write of every page
 *   warmup_accesses              the warm-up's length (HvSim measures the same window: accesses W..W+K)
 *   resident_start/_end          pages of the region resident at the window's ends (mincore: mapped or swap cache)
 *   memcg_base_bytes             the cgroup's charge before the region was mapped (binary, libc, tables)
 *   vmstat_<field>               /proc/vmstat deltas over the window (machine-wide)
 *   memcg_<field>                the memory cgroup's memory.stat: deltas for counters, end values for levels
 *   hist_major / hist_minor      latency histogram of faulting accesses, "lower_ns:count;..." (4 buckets per octave)
 * The stream (stream.h) mirrors HvSim's workloads (Simulator/HvSim.Model/Workloads).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define PROG "workload"
#include "host.h"
#include "stream.h"

#define PAGE 4096UL
#define BUCKETS 160 /* 4 per octave from 1 ns: up to 2^40 ns */

static uint32_t pages;

/* key/value pairs of a "name value" file (/proc/vmstat, memory.stat). */
#define MAXKV 256
struct kv { char name[64]; long long value; };

static int read_kv(const char *path, struct kv *out)
{
    FILE *f = fopen(path, "r");
    int n = 0;
    if (!f) return 0;
    while (n < MAXKV && fscanf(f, "%63s %lld", out[n].name, &out[n].value) == 2) n++;
    fclose(f);
    return n;
}

static int wanted_vmstat(const char *k)
{
    static const char *prefixes[] = {"pswpin", "pswpout", "workingset_", "swap_ra", "pgscan", "pgsteal", "pgmajfault", "pgactivate", "pgdeactivate",
        "pgrefill", "pgrotated", NULL};
    for (int i = 0; prefixes[i]; i++) if (!strncmp(k, prefixes[i], strlen(prefixes[i]))) return 1;
    return 0;
}

/* memory.stat fields that are levels (printed at the end), not event counters (printed as deltas). */
static int is_level(const char *k)
{
    static const char *levels[] = {"cache", "rss", "rss_huge", "shmem", "mapped_file", "dirty", "writeback", "swap",
        "inactive_anon", "active_anon", "inactive_file", "active_file", "unevictable", "hierarchical_memory_limit",
        "hierarchical_memsw_limit", "swapcached", "anon", "file", "kernel", "sock", "slab", NULL};
    const char *base = strncmp(k, "total_", 6) ? k : k + 6;
    for (int i = 0; levels[i]; i++) if (!strcmp(base, levels[i])) return 1;
    return 0;
}

static void print_deltas(const char *prefix, struct kv *a, int na, struct kv *b, int nb, int (*keep)(const char *), int levels)
{
    for (int j = 0; j < nb; j++) {
        if (keep && !keep(b[j].name)) continue;
        if (!strncmp(b[j].name, "total_", 6)) continue; /* one cgroup, no children: total_x == x */
        long long before = 0;
        for (int i = 0; i < na; i++) if (!strcmp(a[i].name, b[j].name)) { before = a[i].value; break; }
        printf("%s%s=%lld\n", prefix, b[j].name, levels && is_level(b[j].name) ? b[j].value : b[j].value - before);
    }
}

/* Pages of the region in memory (mincore: mapped, or in the swap cache). */
static long resident(char *mem, unsigned char *vec)
{
    long n = 0;
    if (mincore(mem, pages * PAGE, vec)) die("mincore");
    for (uint32_t p = 0; p < pages; p++) n += vec[p] & 1;
    return n;
}

static int bucket(int64_t ns)
{
    if (ns < 1) ns = 1;
    int b = (int)floor(4 * log2((double)ns));
    return b < 0 ? 0 : b >= BUCKETS ? BUCKETS - 1 : b;
}

static void print_hist(const char *name, const long *h)
{
    printf("%s=", name);
    int first = 1;
    for (int b = 0; b < BUCKETS; b++) {
        if (!h[b]) continue;
        printf("%s%" PRId64 ":%ld", first ? "" : ";", (int64_t)ceil(pow(2, b / 4.0)), h[b]);
        first = 0;
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    long mib = 64, warmup = 0, warmup_faults = 0, accesses = 100000;
    double alpha = 1.0, hot_page = 0.25, hot_access = 0, store = 0.3;
    uint64_t seed = 1;
    const char *pat = "uniform";
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (!strcmp(k, "--mib")) mib = atol(v);
        else if (!strcmp(k, "--pattern")) pat = v;
        else if (!strcmp(k, "--alpha")) alpha = atof(v);
        else if (!strcmp(k, "--hot-pages")) hot_page = atof(v);
        else if (!strcmp(k, "--hot-accesses")) hot_access = atof(v);
        else if (!strcmp(k, "--warmup")) warmup = atol(v);
        else if (!strcmp(k, "--warmup-faults")) warmup_faults = atol(v);
        else if (!strcmp(k, "--accesses")) accesses = atol(v);
        else if (!strcmp(k, "--seed")) seed = strtoull(v, NULL, 10);
        else if (!strcmp(k, "--store")) store = atof(v);
        else usage("unknown option (allowed: --mib --pattern uniform|zipf|hotcold --alpha --hot-pages --hot-accesses --warmup --warmup-faults --accesses --seed --store)");
    }
    if (argc % 2 == 0) usage("options come in pairs: --name value");
    if (mib < 1 || accesses < 1 || warmup < 0) usage("--mib and --accesses must be >= 1, --warmup >= 0");
    enum pattern pattern;
    if (!strcmp(pat, "uniform")) pattern = UNIFORM;
    else if (!strcmp(pat, "zipf")) pattern = ZIPF;
    else if (!strcmp(pat, "hotcold")) pattern = HOTCOLD;
    else usage("--pattern must be uniform, zipf or hotcold");
    if (pattern == HOTCOLD && hot_access == 0) hot_access = 0.9;

    pages = (uint32_t)(mib * (1 << 20) / PAGE);
    struct stream st;
    if (stream_init(&st, pattern, pages, alpha, hot_page, hot_access, store, seed)) die("malloc");
    if (pattern == HOTCOLD && st.hot_pages == pages) usage("--hot-pages must leave some cold pages");

    char cgpath[600];
    memcg_stat_path(cgpath, sizeof cgpath);
    printf("memcg_base_bytes=%lld\n", cgpath[0] ? cg_value(cgpath, "memory.usage_in_bytes") : -1);
    unsigned char *vec = malloc(pages);
    if (!vec) die("malloc");

    char *mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) die("mmap");
    if (madvise(mem, pages * PAGE, MADV_NOHUGEPAGE)) die("madvise(MADV_NOHUGEPAGE)");

    long maj0, min0, maj1, min1;
    int64_t sys0, sys1, user0, user1;
    int64_t t = now_ns();
    faults(&maj0, &min0);
    cpu_times(&sys0, &user0);
    for (uint32_t p = 0; p < pages; p++) mem[p * PAGE] = 1; /* the first write: every page allocated and dirty */
    cpu_times(&sys1, &user1);
    faults(&maj1, &min1);
    printf("pages=%u\nwrite_ns=%" PRId64 "\nwrite_maj_faults=%ld\nwrite_min_faults=%ld\nwrite_stime_ns=%" PRId64 "\n", pages, now_ns() - t,
           maj1 - maj0, min1 - min0, sys1 - sys0);

    volatile char sink = 0;
    t = now_ns();
    faults(&maj0, &min0);
    long w = 0;
    for (; w < warmup; w++) {
        if (warmup_faults > 0 && (w & 255) == 0) {
            faults(&maj1, &min1);
            if (maj1 - maj0 + min1 - min0 >= warmup_faults) break;
        }
        uint32_t p = stream_page(&st);
        if (stream_store(&st)) mem[p * PAGE + 64] += 1; else sink += mem[p * PAGE + 64];
    }
    faults(&maj1, &min1);
    printf("warmup_accesses=%ld\nwarmup_ns=%" PRId64 "\nwarmup_maj_faults=%ld\nwarmup_min_faults=%ld\n", w, now_ns() - t, maj1 - maj0, min1 - min0);

    static struct kv vm0[MAXKV], vm1[MAXKV], cg0[MAXKV], cg1[MAXKV];
    static long hist_major[BUCKETS], hist_minor[BUCKETS];
    printf("resident_start=%ld\n", resident(mem, vec));
    int nvm0 = read_kv("/proc/vmstat", vm0), ncg0 = cgpath[0] ? read_kv(cgpath, cg0) : 0;
    long maj = 0, min = 0, mj, mn;
    int64_t stall = 0, start = now_ns();
    cpu_times(&sys0, &user0);
    faults(&maj0, &min0);
    for (long i = 0; i < accesses; i++) {
        uint32_t p = stream_page(&st);
        int is_store = stream_store(&st);
        int64_t a = now_ns();
        if (is_store) mem[p * PAGE + 64] += 1; else sink += mem[p * PAGE + 64];
        int64_t lat = now_ns() - a;
        faults(&mj, &mn);
        if (mj != maj0 || mn != min0) {
            stall += lat;
            if (mj != maj0) hist_major[bucket(lat)]++; else hist_minor[bucket(lat)]++;
            maj += mj - maj0; min += mn - min0;
            maj0 = mj; min0 = mn;
        }
    }
    int64_t wall = now_ns() - start;
    cpu_times(&sys1, &user1);
    printf("resident_end=%ld\n", resident(mem, vec));
    int nvm1 = read_kv("/proc/vmstat", vm1), ncg1 = cgpath[0] ? read_kv(cgpath, cg1) : 0;
    printf("accesses=%ld\nmaj_faults=%ld\nmin_faults=%ld\nstall_ns=%" PRId64 "\nwall_ns=%" PRId64 "\nstime_ns=%" PRId64 "\nutime_ns=%" PRId64 "\n",
           accesses, maj, min, stall, wall, sys1 - sys0, user1 - user0);
    print_deltas("vmstat_", vm0, nvm0, vm1, nvm1, wanted_vmstat, 0);
    print_deltas("memcg_", cg0, ncg0, cg1, ncg1, NULL, 1);
    print_hist("hist_major", hist_major);
    print_hist("hist_minor", hist_minor);
    return sink == 42 ? 0 : 0;
}

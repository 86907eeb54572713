/*
 * The validation workload's access stream run inside a minimal KVM guest (raw KVM API): one VM, one vCPU in 64-bit
 * mode, one memory slot on anonymous memory of this process (MADV_NOHUGEPAGE, so the host pages it in 4 KiB pages
 * inside this process's memory cgroup). The guest code is guest_main below, compiled into its own section and
 * copied into guest memory; it runs the stream of stream.h (identical draws to workload.c) over the guest's data
 * pages and reports the end of the warm-up and of the measured window through I/O ports.
 *
 * This is the x86 form of the mechanism of 342d3db: the host reclaims guest RAM, the MMU notifiers
 * (kvm_mmu_notifier_invalidate_range_start -> kvm_unmap_gfn_range) drop the guest mapping, and the guest's next
 * access faults back in through the EPT-violation handler and get_user_pages (hva_to_pfn), which counts the fault in
 * this task's ru_majflt/ru_minflt (mm/memory.c mm_account_fault: GUP faults are charged to current).
 *
 * Same options and key=value output as workload.c (no per-access latency: the guest cannot time single accesses
 * without exits). --check opens /dev/kvm and creates a VM: exit 0, or 1 with the reason on stdout; also 1 on a kvm-pvm
 * host (below), where the comparison cannot be made reliably.
 *
 * The stream runs in guest user mode (CPL 3, IOPL 3 for its two port writes), not in the guest kernel's mode: where
 * KVM has no VMX or SVM to use (kvm_pvm, the pagetable-based KVM of hosts that are themselves VMs, this machine kind)
 * guest supervisor code is emulated instruction by instruction, and the emulator gives up on the stream's SSE loads
 * (KVM_EXIT_INTERNAL_ERROR, "INTERNAL_ERROR in batch emul" in dmesg), while guest user mode runs natively there, as it
 * does everywhere under VMX and SVM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#define PROG "kvm-guest"
#include "host.h"
#include "stream.h"

#define PAGE 4096UL
#define PORT_WINDOW_START 0x10
#define PORT_WINDOW_END 0x11
/* Guest physical (= guest virtual, identity-mapped with 2 MiB pages) layout. */
#define GPA_PML4 0x1000UL
#define GPA_PDPT 0x2000UL
#define GPA_PD 0x3000UL      /* one page directory per GiB, 4 at most */
#define GPA_CODE 0x10000UL   /* up to 64 KiB of guest code */
#define GPA_STACK 0x100000UL /* stack top; the stream descriptor sits just above */
#define GPA_STREAM 0x100000UL
#define GPA_TABLES 0x101000UL
#define GPA_DATA 0x1000000UL /* 16 MiB: the data pages the stream touches */

extern const char __start_hvsim_guest[], __stop_hvsim_guest[];

STREAM_INLINE void outb(uint16_t port) { __asm__ volatile("outb %%al, %%dx" ::"a"(0), "d"(port)); }

/* The guest: warm-up accesses, port 0x10, measured accesses, port 0x11 (where the host stops running it: the hlt after
 * it, privileged in user mode, is never reached). Nothing here may refer outside the section. */
__attribute__((section("hvsim_guest"), used, noinline, noreturn))
void guest_main(struct stream *st, char *data, uint64_t warmup, uint64_t accesses)
{
    char sink = 0;
    for (uint64_t i = 0; i < warmup + accesses; i++) {
        if (i == warmup) outb(PORT_WINDOW_START);
        uint32_t p = stream_page(st);
        char *byte = data + (uint64_t)p * PAGE + 64;
        if (stream_store(st)) *(volatile char *)byte += 1;
        else sink += *(volatile char *)byte;
    }
    if (warmup == warmup + accesses) outb(PORT_WINDOW_START);
    outb(PORT_WINDOW_END);
    for (;;) __asm__ volatile("hlt" ::"r"(sink));
}

/* Opens /dev/kvm and creates a VM; on failure writes why to reason and returns -1. */
static int open_vm(int *kvm, char *reason, size_t size)
{
    *kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (*kvm < 0) { snprintf(reason, size, "/dev/kvm: %s", strerror(errno)); return -1; }
    int version = ioctl(*kvm, KVM_GET_API_VERSION, 0);
    if (version != KVM_API_VERSION) { snprintf(reason, size, "KVM API version %d, need %d", version, KVM_API_VERSION); return -1; }
    if (ioctl(*kvm, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY) <= 0) { snprintf(reason, size, "no KVM_CAP_USER_MEMORY"); return -1; }
    int vm = ioctl(*kvm, KVM_CREATE_VM, 0);
    if (vm < 0) snprintf(reason, size, "KVM_CREATE_VM: %s", strerror(errno));
    return vm;
}

static void long_mode(int vcpu, char *mem, uint64_t total)
{
    uint64_t *pml4 = (uint64_t *)(mem + GPA_PML4), *pdpt = (uint64_t *)(mem + GPA_PDPT);
    pml4[0] = GPA_PDPT | 7; /* present, writable, user */
    for (uint64_t gib = 0; gib * (1UL << 30) < total; gib++) {
        uint64_t *pd = (uint64_t *)(mem + GPA_PD + gib * PAGE);
        pdpt[gib] = (GPA_PD + gib * PAGE) | 7;
        for (uint64_t i = 0; i < 512; i++) pd[i] = ((gib << 30) + (i << 21)) | 0x87; /* 2 MiB page, user */
    }
    struct kvm_sregs sregs;
    if (ioctl(vcpu, KVM_GET_SREGS, &sregs)) die("KVM_GET_SREGS");
    sregs.cr3 = GPA_PML4;
    sregs.cr4 = (1 << 5) | (1 << 9) | (1 << 10); /* PAE, OSFXSR, OSXMMEXCPT: SSE for the stream's doubles */
    sregs.cr0 = 0x80050033;                      /* PG, AM, WP, NE, ET, MP, PE */
    sregs.efer = 0x500;                          /* LME, LMA */
    /* 64-bit code and flat data segments of privilege level 3: the guest starts in user mode (see the top). */
    struct kvm_segment seg = {.base = 0, .limit = 0xffffffff, .selector = 1 << 3 | 3, .present = 1, .type = 11, .dpl = 3,
                              .db = 0, .s = 1, .l = 1, .g = 1};
    sregs.cs = seg;
    seg.type = 3; seg.selector = 2 << 3 | 3; seg.l = 0; seg.db = 1;
    sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = seg;
    if (ioctl(vcpu, KVM_SET_SREGS, &sregs)) die("KVM_SET_SREGS");
}

int main(int argc, char **argv)
{
    long mib = 64, warmup = 0, accesses = 100000;
    double alpha = 1.0, hot_page = 0.25, hot_access = 0.9, store = 0.3;
    uint64_t seed = 1;
    const char *pat = "uniform";
    char reason[256];
    int kvm;
    if (argc == 2 && !strcmp(argv[1], "--check")) {
        int vm = open_vm(&kvm, reason, sizeof reason);
        if (vm < 0) { printf("%s\n", reason); return 1; }
        /* The same rule and reason as KvmFactAttribute in tests/HvSim.Cli.Tests/RealKernelValidationTests.cs. */
        if (access("/sys/module/kvm_pvm", F_OK) == 0) {
            printf("KVM here is kvm-pvm (no VMX/SVM), whose guest the memory cgroup's OOM killer ends in most runs once its "
                   "limit is below the footprint (docs/validation.md, The KVM guest)\n");
            return 1;
        }
        return 0;
    }
    /* The same option names as workload.c's loop, on purpose not shared: this program refuses --warmup-faults (a
     * KVM guest warms up for exactly --warmup accesses) where workload.c counts them, and a shared table of per-program
     * actions would be longer than the eight lines it saves (host.h shares what is the same: die, usage, clocks). */
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (!strcmp(k, "--mib")) mib = atol(v);
        else if (!strcmp(k, "--pattern")) pat = v;
        else if (!strcmp(k, "--alpha")) alpha = atof(v);
        else if (!strcmp(k, "--hot-pages")) hot_page = atof(v);
        else if (!strcmp(k, "--hot-accesses")) hot_access = atof(v);
        else if (!strcmp(k, "--warmup")) warmup = atol(v);
        else if (!strcmp(k, "--warmup-faults")) { if (atol(v) != 0) usage("--warmup-faults: the guest warms up for exactly --warmup accesses (pass the plain process's warmup_accesses)"); }
        else if (!strcmp(k, "--accesses")) accesses = atol(v);
        else if (!strcmp(k, "--seed")) seed = strtoull(v, NULL, 10);
        else if (!strcmp(k, "--store")) store = atof(v);
        else usage("unknown option (allowed: --check, or --mib --pattern --alpha --hot-pages --hot-accesses --warmup --accesses --seed --store)");
    }
    if (argc % 2 == 0) usage("options come in pairs: --name value");
    if (mib < 1 || mib > 4000 || accesses < 1 || warmup < 0) usage("--mib must be 1..4000, --accesses >= 1, --warmup >= 0");
    enum pattern pattern = !strcmp(pat, "zipf") ? ZIPF : !strcmp(pat, "hotcold") ? HOTCOLD : UNIFORM;
    if (pattern == UNIFORM && strcmp(pat, "uniform")) usage("--pattern must be uniform, zipf or hotcold");

    uint32_t pages = (uint32_t)(mib * (1 << 20) / PAGE);
    struct stream st;
    if (stream_init(&st, pattern, pages, alpha, hot_page, hot_access, store, seed)) die("malloc");
    uint64_t tables = pages * (sizeof(uint32_t) + (pattern == ZIPF ? sizeof(double) + sizeof(uint32_t) : 0));
    if (GPA_TABLES + tables > GPA_DATA) usage("--mib too large for the guest's table area");
    uint64_t total = GPA_DATA + (uint64_t)pages * PAGE;

    int vm = open_vm(&kvm, reason, sizeof reason);
    if (vm < 0) { fprintf(stderr, "kvm-guest: %s\n", reason); return 3; }
    char *mem = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) die("mmap");
    if (madvise(mem, total, MADV_NOHUGEPAGE)) die("madvise(MADV_NOHUGEPAGE)");
    struct kvm_userspace_memory_region slot = {.slot = 0, .guest_phys_addr = 0, .memory_size = total, .userspace_addr = (uint64_t)mem};
    if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &slot)) die("KVM_SET_USER_MEMORY_REGION");

    /* Guest code, stream descriptor (pointers rewritten to guest addresses) and tables. */
    size_t code = (size_t)(__stop_hvsim_guest - __start_hvsim_guest);
    if (code > GPA_STACK - GPA_CODE - 4096) usage("guest code too large");
    memcpy(mem + GPA_CODE, __start_hvsim_guest, code);
    struct stream *gst = (struct stream *)(mem + GPA_STREAM);
    *gst = st;
    uint64_t at = GPA_TABLES;
    memcpy(mem + at, st.layout, pages * sizeof(uint32_t)); gst->layout = (const uint32_t *)at; at += pages * sizeof(uint32_t);
    if (pattern == ZIPF) {
        memcpy(mem + at, st.prob, pages * sizeof(double)); gst->prob = (const double *)at; at += pages * sizeof(double);
        memcpy(mem + at, st.alias, pages * sizeof(uint32_t)); gst->alias = (const uint32_t *)at;
    }

    int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
    if (vcpu < 0) die("KVM_CREATE_VCPU");
    int run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    struct kvm_run *run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    if (run == MAP_FAILED) die("mmap kvm_run");
    long_mode(vcpu, mem, total);
    struct kvm_regs regs = {.rflags = 2 | 3 << 12 /* IOPL 3: the port writes from user mode */, .rip = GPA_CODE + (uint64_t)((const char *)guest_main - __start_hvsim_guest),
                            .rsp = GPA_STACK - 8, .rdi = GPA_STREAM, .rsi = GPA_DATA, .rdx = (uint64_t)warmup, .rcx = (uint64_t)accesses};
    if (ioctl(vcpu, KVM_SET_REGS, &regs)) die("KVM_SET_REGS");

    /* What the cgroup holds before the data pages are written, as workload.c reports it: here also the VM, its vCPU,
     * the memslot's arrays (KVM allocates them GFP_KERNEL_ACCOUNT, charged to this cgroup), the guest's code, page
     * tables and stream tables. */
    char cgpath[600];
    memcg_stat_path(cgpath, sizeof cgpath);
    printf("memcg_base_bytes=%lld\n", cgpath[0] ? cg_value(cgpath, "memory.usage_in_bytes") : -1);
    long maj0, min0, maj1, min1;
    int64_t t = now_ns();
    faults(&maj0, &min0);
    for (uint32_t p = 0; p < pages; p++) mem[GPA_DATA + p * PAGE] = 1; /* the first write, as workload.c */
    faults(&maj1, &min1);
    printf("pages=%u\nwrite_ns=%" PRId64 "\nwrite_maj_faults=%ld\nwrite_min_faults=%ld\n", pages, now_ns() - t, maj1 - maj0, min1 - min0);

    int64_t start = now_ns(), wall = 0;
    faults(&maj0, &min0);
    long wmaj = maj0, wmin = min0;
    for (;;) {
        if (ioctl(vcpu, KVM_RUN, 0) && errno != EINTR) die("KVM_RUN");
        if (run->exit_reason == KVM_EXIT_IO && run->io.port == PORT_WINDOW_START) {
            faults(&maj1, &min1);
            printf("warmup_accesses=%ld\nwarmup_ns=%" PRId64 "\nwarmup_maj_faults=%ld\nwarmup_min_faults=%ld\n", warmup, now_ns() - start, maj1 - wmaj, min1 - wmin);
            maj0 = maj1; min0 = min1;
            start = now_ns();
        } else if (run->exit_reason == KVM_EXIT_IO && run->io.port == PORT_WINDOW_END) {
            wall = now_ns() - start;
            faults(&maj1, &min1);
            break;
        } else {
            struct kvm_regs at;
            if (ioctl(vcpu, KVM_GET_REGS, &at)) die("KVM_GET_REGS");
            fprintf(stderr, "kvm-guest: unexpected exit %u (KVM_EXIT_*; internal error suberror %u) at guest rip 0x%llx\n", run->exit_reason,
                    run->exit_reason == KVM_EXIT_INTERNAL_ERROR ? run->internal.suberror : 0, (unsigned long long)at.rip);
            return 1;
        }
    }
    printf("accesses=%ld\nmaj_faults=%ld\nmin_faults=%ld\nwall_ns=%" PRId64 "\n", accesses, maj1 - maj0, min1 - min0, wall);
    return 0;
}

using HvSim.Analysis.Validation;
using Xunit;

namespace HvSim.Analysis.Tests;

public class ValidationScenarioTests
{
    /// <summary>
    /// The room a point's cgroup leaves for the region, worked by hand from validation/run.sh's limit (ratio x footprint
    /// + 1 MiB of headroom) and the charges the kernel makes besides the region: what the cgroup held before it
    /// (memcg_base_bytes, as the programs measured it here on 2026-12-07), one 8-byte PTE per 4 KiB page of the process's
    /// page table (mm/memory.c __pte_alloc -> pte_alloc_one, GFP_PGTABLE_USER has __GFP_ACCOUNT), and for the KVM guest
    /// one more per page in KVM's second-level table (arch/x86/kvm/mmu/mmu.c mmu_topup_memory_caches, whose page-table
    /// cache allocates with GFP_KERNEL_ACCOUNT).
    /// </summary>
    [Theory]
    // 0.5 x 64 MiB + 1 MiB = 34,603,008; (34,603,008 - 843,776 - 16,384 x 8) / 4096 = 8,210.25
    [InlineData("process", 843_776, 8_210)]
    // (34,603,008 - 782,336 - 16,384 x 8 x 2) / 4096 = 8,193
    [InlineData("kvm", 782_336, 8_193)]
    public void AvailablePagesLeaveOutWhatTheCgroupHoldsBesidesTheRegion(string runner, long baseBytes, long expected)
    {
        var row = new RealRunRow { Runner = runner, Mib = 64, Ratio = 0.5, LimitBytes = (32L << 20) + (1L << 20), MemcgBaseBytes = baseBytes };
        Assert.Equal(expected, ValidationScenario.AvailablePages(row));
    }
}

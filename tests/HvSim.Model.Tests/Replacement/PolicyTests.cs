using FsCheck.Xunit;
using HvSim.Engine;
using HvSim.Model.Replacement;
using HvSim.Model.Workloads;

namespace HvSim.Model.Tests.Replacement;

public class PolicyTests
{
    private const int Universe = 24;

    private static int[] Trace(byte[] raw) => [.. raw.Select(b => b % Universe)];
    private static int Capacity(byte raw) => 1 + raw % 16;

    private static void AssertMatches(string policy, int[] trace, int capacity, List<PolicyOracles.Step> oracle)
    {
        var cache = new ReplayCache(ReplacementPolicies.Create(policy, Universe, capacity), capacity, Universe);
        for (int i = 0; i < trace.Length; i++)
        {
            bool hit = cache.Access(trace[i]);
            Assert.True(oracle[i].Hit == hit, $"{policy} C={capacity} request {i} (page {trace[i]}): policy hit={hit}, oracle hit={oracle[i].Hit}");
            int[] resident = [.. Enumerable.Range(0, Universe).Where(cache.Policy.Contains)];
            Assert.Equal(oracle[i].Resident, resident);
            Assert.Equal(resident.Length, cache.Policy.Count);
        }
        Assert.Equal(oracle.Count(s => !s.Hit), cache.Misses);
    }

    [Property(MaxTest = 300)]
    public void LruHitsExactlyWhenStackDistanceIsBelowCapacity(byte capacityRaw, byte[] raw)
    {
        int[] trace = Trace(raw);
        int capacity = Capacity(capacityRaw);
        bool[] expected = PolicyOracles.LruByStackDistance(trace, capacity);
        var cache = new ReplayCache(new LruPolicy(Universe), capacity, Universe);
        for (int i = 0; i < trace.Length; i++)
            Assert.True(expected[i] == cache.Access(trace[i]), $"C={capacity} request {i}");
        Assert.True(cache.Policy.Count <= capacity);
    }

    [Property(MaxTest = 300)]
    public void FifoMatchesQueueOracle(byte capacityRaw, byte[] raw) =>
        AssertMatches("fifo", Trace(raw), Capacity(capacityRaw), PolicyOracles.Fifo(Trace(raw), Capacity(capacityRaw)));

    [Property(MaxTest = 300)]
    public void ClockMatchesNaiveSecondChanceOracle(byte capacityRaw, byte[] raw) =>
        AssertMatches("clock", Trace(raw), Capacity(capacityRaw), PolicyOracles.Clock(Trace(raw), Capacity(capacityRaw)));

    [Property(MaxTest = 300)]
    public void SlruMatchesIssueRuleOracle(byte capacityRaw, byte[] raw) =>
        AssertMatches("slru", Trace(raw), Capacity(capacityRaw), PolicyOracles.Slru(Trace(raw), Capacity(capacityRaw)));

    [Property(MaxTest = 300)]
    public void TwoListMatchesListOracle(byte capacityRaw, byte[] raw) =>
        AssertMatches("twolist", Trace(raw), Capacity(capacityRaw), PolicyOracles.TwoList(Trace(raw), Capacity(capacityRaw)));

    [Property(MaxTest = 300)]
    public void TwoListWithGigabytePagesKeepsTheSqrtRatioLikeTheOracle(byte capacityRaw, byte[] raw)
    {
        // 128 MiB pages: 8 pages make 1 GB, so the ratio moves through 1, 3 (1 GB) and 4 (2 GB) as the lists fill.
        const long pageSize = 128L << 20;
        int[] trace = Trace(raw);
        int capacity = Capacity(capacityRaw);
        var oracle = PolicyOracles.TwoList(trace, capacity, pageSize);
        var cache = new ReplayCache(new TwoListPolicy(Universe, pageSize), capacity, Universe);
        for (int i = 0; i < trace.Length; i++)
        {
            Assert.True(oracle[i].Hit == cache.Access(trace[i]), $"C={capacity} request {i}");
            Assert.Equal(oracle[i].Resident, Enumerable.Range(0, Universe).Where(cache.Policy.Contains));
        }
    }

    [Fact]
    public void SlruHitInProbationEvictsWhenCapacityIsOdd()
    {
        // Hand-worked, C = 3 (share 1): 1 -> probation, 2 -> protected, 3 -> probation (one over its share).
        // Hit 1: promoted; protected holds 1 and 2, so 2 is demoted to probation (2, 3): over share, 3 is evicted.
        var slru = new SlruPolicy(8, 3);
        var cache = new ReplayCache(slru, 3, 8);
        foreach (int page in new[] { 1, 2, 3 }) Assert.False(cache.Access(page));
        Assert.True(cache.Access(1));
        Assert.False(slru.Contains(3));
        Assert.Equal((1, 1), (slru.ProbationCount, slru.ProtectedCount));
        Assert.True(slru.Contains(1) && slru.Contains(2));
    }

    [Theory]
    [InlineData(512L << 20, 1)]
    [InlineData(1L << 30, 3)]
    [InlineData(10L << 30, 10)]
    [InlineData(100L << 30, 31)]
    [InlineData(1L << 40, 101)]
    public void TwoListInactiveRatioFollowsTheKernelTable(long bytes, int ratio)
    {
        // Table from the kernel-doc of calculate_zone_inactive_ratio (reclaim-model.md item 6).
        Assert.Equal(ratio, TwoListPolicy.InactiveRatioFor(bytes));
        Assert.Equal(ratio, new TwoListPolicy(4, 64 * 1024, bytes).InactiveRatio);
    }

    [Fact]
    public void TwoListKeepsActiveToInactiveAtTheRatioAndDeactivatesReferencedPages()
    {
        // 1 GB of 64 KiB pages: ratio 3, so after reclaim starts at most 3/4 of the pages stay active.
        const int pages = 16384;
        var policy = new TwoListPolicy(pages, 64 * 1024);
        var referenced = new AlwaysReferenced();
        for (int p = 0; p < pages; p++) policy.Insert(p);
        Assert.Equal(3, policy.InactiveRatio);
        Assert.Equal(pages, policy.ActiveCount);
        int budget = pages / 4;
        // Every page is referenced: deactivation ignores the bit, so the first quarter of the budget fills the
        // inactive list to the ratio (inactive * 3 >= active) and nothing is evicted yet.
        Assert.Equal(-1, policy.IsolateVictim(referenced, ref budget));
        Assert.Equal(0, budget);
        Assert.Equal(pages / 4, policy.InactiveCount);
        Assert.Equal(pages / 4, referenced.Calls);
        // The deactivated pages were the oldest (active tail = first inserted).
        Assert.False(policy.IsActive(0));
        Assert.True(policy.IsActive(pages - 1));
    }

    [Fact]
    public void TwoListInsertInactivePutsThePageAtTheInactiveHeadBehindOlderInactivePages()
    {
        // Hand-worked (ratio 1 below 1 GB): 0 new (active); then 2, 3, 4 swapped in (inactive, head to tail: 4 3 2).
        var policy = new TwoListPolicy(8);
        var refs = new BitOracle(8);
        policy.Insert(0);
        foreach (int p in new[] { 2, 3, 4 }) policy.InsertInactive(p);
        Assert.Equal((1, 3), (policy.ActiveCount, policy.InactiveCount));
        Assert.False(policy.IsActive(4));
        // While inactive * 1 >= active 1, reclaim takes the inactive tail: 4 goes last, after the older 2 and 3, but
        // before the active page 0 that entered earlier than all of them.
        int budget = 10;
        Assert.Equal(2, policy.IsolateVictim(refs, ref budget));
        Assert.Equal(3, policy.IsolateVictim(refs, ref budget));
        Assert.Equal(4, policy.IsolateVictim(refs, ref budget));
        Assert.Equal(7, budget);
        // Inactive now empty (0 < 1): deactivate the active tail 0 (one scan), then reclaim it (another).
        Assert.Equal(0, policy.IsolateVictim(refs, ref budget));
        Assert.Equal(5, budget);
        Assert.Equal(0, policy.Count);
    }

    [Fact]
    public void TwoListReferencedInactiveInsertIsActivatedAtTheTailInsteadOfReclaimed()
    {
        var policy = new TwoListPolicy(8);
        var refs = new BitOracle(8);
        policy.InsertInactive(5);
        policy.InsertInactive(6);
        refs.Bits[5] = true;
        int budget = 10;
        Assert.Equal(6, policy.IsolateVictim(refs, ref budget)); // 5 (tail, young) activated, then 6 reclaimed
        Assert.Equal(8, budget);
        Assert.True(policy.IsActive(5));
    }

    [Theory]
    [InlineData("lru")]
    [InlineData("fifo")]
    [InlineData("clock")]
    [InlineData("slru")]
    public void SingleEntryPoliciesTreatInsertInactiveAsInsert(string name)
    {
        // Same operations with Insert and with InsertInactive must isolate the same victims in the same order.
        IReplacementPolicy a = ReplacementPolicies.Create(name, 8, 4), b = ReplacementPolicies.Create(name, 8, 4);
        for (int p = 0; p < 4; p++) { a.Insert(p); b.InsertInactive(p); }
        a.Hit(1);
        b.Hit(1);
        for (int i = 0; i < 4; i++)
        {
            int ba = 10, bb = 10;
            Assert.Equal(a.IsolateVictim(new BitOracle(8), ref ba), b.IsolateVictim(new BitOracle(8), ref bb));
        }
    }

    [Fact]
    public void ClockRespectsScanBudgetAndResumes()
    {
        var clock = new ClockPolicy(4);
        for (int p = 0; p < 4; p++) clock.Insert(p);
        var oracle = new BitOracle(4);
        oracle.Bits[0] = oracle.Bits[1] = true;
        // Hand-worked: the hand starts at 0, the oldest. A budget of 2 spends one scan each on 0 and 1, both referenced:
        // bits cleared, both passed over, nothing evicted. The next call resumes at 2, unreferenced: evicted for one scan.
        int budget = 2;
        Assert.Equal(-1, clock.IsolateVictim(oracle, ref budget));
        Assert.Equal(0, budget);
        budget = 10;
        Assert.Equal(2, clock.IsolateVictim(oracle, ref budget));
        Assert.Equal(9, budget);
        Assert.Equal(3, clock.Count);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(500)]
    [InlineData(900)]
    public void LruMissRatioUnderUniformReferencesIsOneMinusCOverN(int capacity)
    {
        // Independent uniform references: once full, any demand cache holds C of N pages, so P(miss) = 1 - C/N.
        // Tolerance 0.01 is > 8 standard deviations of a 200k-sample binomial proportion.
        const int n = 1000, warmup = 20_000, measured = 200_000;
        var source = new UniformWorkload().Create(n, 0, 1, new RngStream(7, "uniform-lru"));
        var cache = new ReplayCache(new LruPolicy(n), capacity, n);
        var access = new GuestAccess();
        for (int i = 0; i < warmup; i++) { source.Next(0, ref access); cache.Access(access.Page); }
        long missesBefore = cache.Misses;
        for (int i = 0; i < measured; i++) { source.Next(0, ref access); cache.Access(access.Page); }
        double missRatio = (double)(cache.Misses - missesBefore) / measured;
        Assert.InRange(missRatio, 1 - (double)capacity / n - 0.01, 1 - (double)capacity / n + 0.01);
    }

    [Fact]
    public void UnknownPolicyNameListsTheAllowedOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => ReplacementPolicies.Create("arc", 4, 2));
        Assert.Contains("'arc'", e.Message);
        Assert.Contains("lru, fifo, clock, slru, twolist", e.Message);
    }

    private sealed class AlwaysReferenced : IReferenceOracle
    {
        public int Calls;
        public bool PageReferenced(int page) { Calls++; return true; }
    }

    private sealed class BitOracle(int pages) : IReferenceOracle
    {
        public readonly bool[] Bits = new bool[pages];
        public bool PageReferenced(int page) { bool b = Bits[page]; Bits[page] = false; return b; }
    }
}

using HvSim.Model.Guest;

namespace HvSim.Model.Mm;

/// <summary>
/// mm/thrash.c of 3.4 (removed in 3.5): the swap token. A guest's QEMU takes it in do_swap_page before a swap read
/// (grab_swap_token, priority ageing below); while the holder's mmap_sem is held (one of its threads is in the gup slow
/// path, <see cref="MmapSem"/>), page_referenced_one reports every page of the holder referenced to any other reclaimer,
/// so its pages are activated instead of evicted. Reclaim at priority 0 drops the token (disable_swap_token).
/// </summary>
public sealed class SwapToken
{
    /// <summary>TOKEN_AGING_INTERVAL: faults between halvings of the holder's priority.</summary>
    public const uint TokenAgingInterval = 0xFF;

    private readonly bool _enabled;
    private readonly MmapSem _mmapSem;
    // mm->token_priority, mm->faultstamp, mm->last_interval per guest (Vm.Index).
    private readonly uint[] _tokenPriority;
    private readonly uint[] _faultstamp;
    private readonly int[] _lastInterval;
    private uint _globalFaults;
    private uint _lastAging;

    public SwapToken(bool enabled, int guests, MmapSem mmapSem)
    {
        _enabled = enabled;
        _mmapSem = mmapSem;
        _tokenPriority = new uint[guests];
        _faultstamp = new uint[guests];
        _lastInterval = new int[guests];
    }

    /// <summary>swap_token_mm: the guest holding the token, -1 when none.</summary>
    public int Holder { get; private set; } = -1;

    /// <summary>mm-&gt;token_priority of a guest.</summary>
    public uint Priority(int mm) => _tokenPriority[mm];

    /// <summary>grab_swap_token: called by do_swap_page on a swap-cache miss, before the read.</summary>
    public void Grab(Vm vm)
    {
        if (!_enabled) return;
        int mm = vm.Index;
        _globalFaults++;
        int currentInterval = (int)(_globalFaults - _faultstamp[mm]);
        if (Holder < 0)
        {
            ReplaceToken(mm); // first come first served
        }
        else
        {
            if (_globalFaults - _lastAging > TokenAgingInterval)
            {
                _tokenPriority[Holder] /= 2;
                _lastAging = _globalFaults;
            }
            if (mm == Holder)
                _tokenPriority[mm] += 2;
            else
            {
                if (currentInterval < _lastInterval[mm]) _tokenPriority[mm]++;
                else if (_tokenPriority[mm] > 0) _tokenPriority[mm]--;
                if (_tokenPriority[mm] > _tokenPriority[Holder]) ReplaceToken(mm);
            }
        }
        _faultstamp[mm] = _globalFaults;
        _lastInterval[mm] = currentInterval;
    }

    private void ReplaceToken(int mm)
    {
        _tokenPriority[mm] += 2;
        Holder = mm;
        _lastAging = _globalFaults;
    }

    /// <summary>disable_swap_token: reclaim reached priority 0 (do_try_to_free_pages, balance_pgdat).</summary>
    public void Disable() => Holder = -1;

    /// <summary>
    /// The swap-token clause of page_referenced_one: <paramref name="owner"/>'s page counts as referenced when owner
    /// holds the token, is not the reclaiming task's own mm, and has its mmap_sem held.
    /// </summary>
    public bool PretendReferenced(int owner, Vm? current) =>
        owner == Holder && current?.Index != owner && _mmapSem.IsLocked(owner);
}

using HvSim.Engine;

namespace HvSim.Model.Mm;

/// <summary>
/// One block request to swap (a bio after plug merging): the swap slots it covers, its size, when it became ready to
/// dispatch and, for a read, the event the faulting threads wait on (end_swap_bio_read unlocks the pages).
/// </summary>
public struct SwapRequest
{
    public bool IsRead;
    public int FirstSlot;
    /// <summary>Slots [FirstSlot, FirstSlot + SlotCount) the request may touch (a readahead cluster may skip some).</summary>
    public int SlotCount;
    public long Bytes;
    /// <summary>Submission time (after the submitter's own work: tlbies of the reclaim pass, fault entry).</summary>
    public long QueuedAt;
    public SimEvent? Done;
}

/// <summary>bio_endio: the host's completion handlers for swap reads and writes.</summary>
public interface ISwapCompletion
{
    /// <summary>end_swap_bio_read / end_swap_bio_write for a finished request.</summary>
    void EndIo(in SwapRequest request);

    /// <summary>blk_start_request: the device took <paramref name="request"/> from its queue and starts serving it.</summary>
    void StartIo(in SwapRequest request) { }
}

namespace HvSim.Model.Mm;

/// <summary>
/// What get_scan_count weighs anonymous against file pages by. 3.4: struct zone_reclaim_stat (recent_scanned and
/// recent_rotated per type, [0] anon and [1] file, updated by update_page_reclaim_stat, shrink_inactive_list,
/// putback_inactive_pages and shrink_active_list, halved as a floating average). 6.x: the lruvec's anon_cost and
/// file_cost (lru_note_cost, mm/swap.c). One per lruvec that holds file pages: the host's one LRU.
/// </summary>
public sealed class ReclaimStat
{
    public readonly long[] RecentScanned = new long[2];
    public readonly long[] RecentRotated = new long[2];
    /// <summary>6.x lruvec-&gt;anon_cost and -&gt;file_cost.</summary>
    public long AnonCost, FileCost;

    /// <summary>update_page_reclaim_stat (3.4 mm/swap.c): a page joins a list (rotated when it joins the active one).</summary>
    public void UpdatePageReclaimStat(bool file, bool rotated)
    {
        int t = file ? 1 : 0;
        RecentScanned[t]++;
        if (rotated) RecentRotated[t]++;
    }

    /// <summary>
    /// lru_note_cost (6.x mm/swap.c): cost = nr_io * SWAP_CLUSTER_MAX + nr_rotated onto the type's cost; both costs
    /// halve when together they pass a quarter of the lruvec's LRU pages.
    /// </summary>
    public void LruNoteCost(bool file, long nrIo, long nrRotated, long lruSize, int swapClusterMax)
    {
        long cost = nrIo * swapClusterMax + nrRotated;
        if (file) FileCost += cost;
        else AnonCost += cost;
        if (AnonCost + FileCost > lruSize / 4)
        {
            AnonCost /= 2;
            FileCost /= 2;
        }
    }

    /// <summary>
    /// 3.4 get_scan_count's SCAN_FRACT (mm/vmscan.c): anon_prio = swappiness, file_prio = 200 - swappiness; each
    /// type's recent counts halve once its recent_scanned passes a quarter of its pages; ap = anon_prio *
    /// (recent_scanned[0] + 1) / (recent_rotated[0] + 1), fp likewise for file; the fractions are ap and fp over
    /// ap + fp + 1.
    /// </summary>
    public (ulong Anon, ulong File, ulong Denominator) Fraction34(long anonPages, long filePages, int swappiness)
    {
        if (RecentScanned[0] > anonPages / 4)
        {
            RecentScanned[0] /= 2;
            RecentRotated[0] /= 2;
        }
        if (RecentScanned[1] > filePages / 4)
        {
            RecentScanned[1] /= 2;
            RecentRotated[1] /= 2;
        }
        ulong ap = (ulong)swappiness * (ulong)(RecentScanned[0] + 1) / (ulong)(RecentRotated[0] + 1);
        ulong fp = (ulong)(200 - swappiness) * (ulong)(RecentScanned[1] + 1) / (ulong)(RecentRotated[1] + 1);
        return (ap, fp, ap + fp + 1);
    }

    /// <summary>
    /// 6.x get_scan_count's SCAN_FRACT: total = anon_cost + file_cost; anon_cost' = total + anon_cost, file_cost' =
    /// total + file_cost, total' = anon_cost' + file_cost'; ap = swappiness * (total' + 1) / (anon_cost' + 1), fp =
    /// (MAX_SWAPPINESS 200 - swappiness) * (total' + 1) / (file_cost' + 1), over ap + fp: each type keeps at least a
    /// third of the pressure before swappiness.
    /// </summary>
    public (ulong Anon, ulong File, ulong Denominator) Fraction618(int swappiness)
    {
        ulong total = (ulong)(AnonCost + FileCost);
        ulong anonCost = total + (ulong)AnonCost, fileCost = total + (ulong)FileCost;
        total = anonCost + fileCost;
        ulong ap = (ulong)swappiness * (total + 1) / (anonCost + 1);
        ulong fp = (ulong)(200 - swappiness) * (total + 1) / (fileCost + 1);
        return (ap, fp, ap + fp);
    }
}

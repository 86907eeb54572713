namespace HvSim.Model.Tests.Replacement;

/// <summary>
/// Brute-force reference caches written from the rule texts (issue 5, reclaim-model.md), sharing no code with the
/// policies: plain lists scanned linearly. Each returns, per request, whether it hit and the resident set after it.
/// </summary>
internal static class PolicyOracles
{
    public sealed record Step(bool Hit, int[] Resident);

    /// <summary>LRU from stack distances: a request hits iff fewer than C distinct pages were touched since its last use.</summary>
    public static bool[] LruByStackDistance(int[] trace, int capacity)
    {
        var hits = new bool[trace.Length];
        for (int i = 0; i < trace.Length; i++)
        {
            int last = i == 0 ? -1 : Array.LastIndexOf(trace, trace[i], i - 1);
            if (last < 0) continue;
            var distinct = new HashSet<int>();
            for (int j = last + 1; j < i; j++) distinct.Add(trace[j]);
            hits[i] = distinct.Count < capacity;
        }
        return hits;
    }

    /// <summary>FIFO with a queue.</summary>
    public static List<Step> Fifo(int[] trace, int capacity)
    {
        var queue = new List<int>();
        var steps = new List<Step>();
        foreach (int page in trace)
        {
            bool hit = queue.Contains(page);
            if (!hit)
            {
                if (queue.Count == capacity) queue.RemoveAt(0);
                queue.Add(page);
            }
            steps.Add(new Step(hit, [.. queue.Order()]));
        }
        return steps;
    }

    /// <summary>CLOCK as FIFO with reinsertion: (page, bit) pairs, index 0 the oldest.</summary>
    public static List<Step> Clock(int[] trace, int capacity)
    {
        var ring = new List<(int Page, bool Bit)>();
        var steps = new List<Step>();
        foreach (int page in trace)
        {
            int at = ring.FindIndex(e => e.Page == page);
            if (at >= 0) ring[at] = (page, true);
            else
            {
                while (ring.Count == capacity)
                {
                    var oldest = ring[0];
                    ring.RemoveAt(0);
                    if (oldest.Bit) ring.Add((oldest.Page, false));
                }
                ring.Add((page, false));
            }
            steps.Add(new Step(at >= 0, [.. ring.Select(e => e.Page).Order()]));
        }
        return steps;
    }

    /// <summary>SLRU-2 exactly as issue 5 states it; lists with index 0 = MRU.</summary>
    public static List<Step> Slru(int[] trace, int capacity)
    {
        int share = capacity / 2;
        var seg = new[] { new List<int>(), new List<int>() };
        var steps = new List<Step>();
        foreach (int page in trace)
        {
            bool hit;
            if (seg[1].Contains(page))
            {
                hit = true;
                seg[1].Remove(page);
                seg[1].Insert(0, page);
            }
            else if (seg[0].Contains(page))
            {
                hit = true;
                seg[0].Remove(page);
                seg[1].Insert(0, page);
                while (seg[1].Count > share)
                {
                    int lru = seg[1][^1];
                    seg[1].RemoveAt(seg[1].Count - 1);
                    seg[0].Insert(0, lru);
                }
                while (seg[0].Count > share) seg[0].RemoveAt(seg[0].Count - 1);
            }
            else
            {
                hit = false;
                int target = seg[0].Count < share ? 0 : seg[1].Count < share ? 1 : -1;
                if (target < 0)
                {
                    while (seg[0].Count + seg[1].Count >= capacity)
                    {
                        var lowest = seg[0].Count > 0 ? seg[0] : seg[1];
                        lowest.RemoveAt(lowest.Count - 1);
                    }
                    target = 0;
                }
                seg[target].Insert(0, page);
            }
            steps.Add(new Step(hit, [.. seg[0].Concat(seg[1]).Order()]));
        }
        return steps;
    }

    /// <summary>
    /// The 3.x anon two-list in demand mode (reclaim-model.md 4-6): new pages on the active head; to evict, deactivate
    /// from the active tail while inactive · ratio &lt; active (clearing the bit), then at the inactive tail activate
    /// referenced pages and evict the first unreferenced one. ratio = floor(sqrt(10 · GB held)), 1 below 1 GB.
    /// </summary>
    public static List<Step> TwoList(int[] trace, int capacity, long pageSizeBytes = 64 * 1024)
    {
        int Ratio(int pages)
        {
            long gb = pages * pageSizeBytes / (1L << 30);
            return gb == 0 ? 1 : (int)Math.Floor(Math.Sqrt(10.0 * gb));
        }

        var active = new List<int>();
        var inactive = new List<int>();
        var referenced = new HashSet<int>();
        var steps = new List<Step>();
        foreach (int page in trace)
        {
            bool hit = active.Contains(page) || inactive.Contains(page);
            if (hit) referenced.Add(page);
            else
            {
                while (active.Count + inactive.Count >= capacity)
                {
                    if (inactive.Count * Ratio(active.Count + inactive.Count) < active.Count)
                    {
                        int tail = active[^1];
                        active.RemoveAt(active.Count - 1);
                        referenced.Remove(tail);
                        inactive.Insert(0, tail);
                        continue;
                    }
                    int victim = inactive[^1];
                    inactive.RemoveAt(inactive.Count - 1);
                    if (referenced.Remove(victim)) active.Insert(0, victim);
                    else break;
                }
                referenced.Remove(page);
                active.Insert(0, page);
            }
            steps.Add(new Step(hit, [.. active.Concat(inactive).Order()]));
        }
        return steps;
    }
}

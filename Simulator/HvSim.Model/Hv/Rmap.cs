using System.Runtime.CompilerServices;
using HvSim.Model.Mm;

namespace HvSim.Model.Hv;

/// <summary>
/// The per-host-page rmap list: a circular doubly-linked list of the VALID HPTEs that map the page, threaded through
/// the revmap forw/back fields and anchored in the rmap word (kernel-model.md §1, invariant 2).
/// </summary>
public static class Rmap
{
    /// <summary>kvmppc_add_revmap_chain: link HPTE <paramref name="index"/> at the tail and set REFERENCED.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Link(Hpt hpt, ref HostPage page, int index)
    {
        ref var e = ref hpt.Revmap[index];
        if (page.RmapHead < 0)
        {
            e.Forw = e.Back = index;
            page.RmapHead = index;
        }
        else
        {
            int head = page.RmapHead;
            int tail = hpt.Revmap[head].Back;
            e.Forw = head;
            e.Back = tail;
            hpt.Revmap[tail].Forw = index;
            hpt.Revmap[head].Back = index;
        }
        page.Set(HostPageFlags.RmapReferenced);
    }

    /// <summary>Unlink HPTE <paramref name="index"/>, clearing PRESENT when it was the last one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unlink(Hpt hpt, ref HostPage page, int index)
    {
        ref var e = ref hpt.Revmap[index];
        if (e.Forw == index)
        {
            page.RmapHead = -1;
        }
        else
        {
            hpt.Revmap[e.Back].Forw = e.Forw;
            hpt.Revmap[e.Forw].Back = e.Back;
            if (page.RmapHead == index) page.RmapHead = e.Forw;
        }
        e.Forw = e.Back = -1;
    }

    /// <summary>Number of HPTEs on the chain (for tests and the invariant checker).</summary>
    public static int Length(Hpt hpt, in HostPage page)
    {
        if (page.RmapHead < 0) return 0;
        int n = 0, i = page.RmapHead;
        do
        {
            n++;
            i = hpt.Revmap[i].Forw;
        } while (i != page.RmapHead && n <= hpt.Count);
        return n;
    }
}

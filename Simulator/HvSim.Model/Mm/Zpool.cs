namespace HvSim.Model.Mm;

/// <summary>
/// The compressed pool zram and zswap store pages in (zsmalloc: mm/zsmalloc.c, drivers/staging/zsmalloc in 3.4): host
/// pages taken from the free list as the stored bytes grow (zs_malloc → alloc_zspage) and given back as they shrink
/// (zs_free → free_zspage), so the pool holds ⌈stored bytes / page⌉ pages. Size classes, zspage fragmentation and
/// compaction are not modelled.
/// </summary>
public sealed class Zpool
{
    private readonly Host _host;

    public Zpool(Host host) => _host = host;

    /// <summary>Compressed bytes stored.</summary>
    public long Bytes { get; private set; }

    /// <summary>Host pages the pool holds (zs_get_total_pages).</summary>
    public long Pages { get; private set; }

    /// <summary>The pool's pages after storing <paramref name="bytes"/> more.</summary>
    public long PagesWith(long bytes) => (Bytes + bytes + _host.PageBytes - 1) / _host.PageBytes;

    /// <summary>
    /// zs_malloc of <paramref name="bytes"/>: takes the host pages it needs (a reclaimer allocating with PF_MEMALLOC may
    /// use the reserves below min); false when the host has none free.
    /// </summary>
    public bool Malloc(int bytes)
    {
        long need = PagesWith(bytes) - Pages;
        if (need > 0 && !_host.TakePoolPages(need)) return false;
        Pages += need;
        Bytes += bytes;
        return true;
    }

    /// <summary>zs_free of <paramref name="bytes"/>: pages no longer needed go back to the free list.</summary>
    public void Free(int bytes)
    {
        Bytes -= bytes;
        long pages = (Bytes + _host.PageBytes - 1) / _host.PageBytes;
        if (pages < Pages) _host.ReturnPoolPages(Pages - pages);
        Pages = pages;
    }
}

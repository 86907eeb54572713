namespace HvSim.Traces;

public enum PageMappingKind
{
    /// <summary>Each distinct object is one page (libCacheSim <c>--ignore-obj-size 1</c>).</summary>
    ObjectPerPage,
    /// <summary>Each request touches every page its byte range covers: [id·unit, id·unit + size).</summary>
    ExpandToPages,
}

/// <summary>How trace objects become pages.</summary>
public sealed record PageMapping
{
    public PageMappingKind Kind { get; init; } = PageMappingKind.ObjectPerPage;

    /// <summary>Page size for <see cref="PageMappingKind.ExpandToPages"/>, bytes.</summary>
    public int PageSizeBytes
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentException($"page size must be >= 1 byte, got {value}", nameof(PageSizeBytes));
    } = 4096;

    /// <summary>Bytes per unit of the object id for <see cref="PageMappingKind.ExpandToPages"/> (512: an LBN is a sector).</summary>
    public int IdUnitBytes
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentException($"id unit must be >= 1 byte, got {value}", nameof(IdUnitBytes));
    } = 512;

    public static PageMapping ObjectPerPage { get; } = new();

    public static PageMapping Expand(int pageSizeBytes = 4096, int idUnitBytes = 512) =>
        new() { Kind = PageMappingKind.ExpandToPages, PageSizeBytes = pageSizeBytes, IdUnitBytes = idUnitBytes };

    /// <summary>The first raw page number a request touches and how many pages it covers (a size of 0 counts as 1 byte).</summary>
    public (ulong First, long Count) Pages(in TraceRequest request)
    {
        if (Kind == PageMappingKind.ObjectPerPage) return (request.ObjectId, 1);
        UInt128 start = (UInt128)request.ObjectId * (uint)IdUnitBytes;
        UInt128 end = start + (ulong)Math.Max(request.SizeBytes, 1) - 1;
        return ((ulong)(start / (uint)PageSizeBytes), (long)(ulong)(end / (uint)PageSizeBytes - start / (uint)PageSizeBytes) + 1);
    }
}

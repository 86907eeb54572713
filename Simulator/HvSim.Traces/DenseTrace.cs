namespace HvSim.Traces;

/// <summary>
/// A trace reduced to its sequence of dense page references: 4 bytes per reference, which is what replay and the
/// miss-ratio curve loop over. The file itself is streamed, never held.
/// </summary>
public sealed class DenseTrace
{
    private DenseTrace(int[] pages, long requests, int uniquePages, PageMapping? mapping)
    {
        Pages = pages;
        Requests = requests;
        UniquePages = uniquePages;
        Mapping = mapping;
    }

    /// <summary>Dense page ids in [0, <see cref="UniquePages"/>), one per page reference.</summary>
    public int[] Pages { get; }
    /// <summary>Trace records read (fewer than page references when requests expand to several pages).</summary>
    public long Requests { get; }
    public int UniquePages { get; }
    /// <summary>How requests became pages; null for references given directly.</summary>
    public PageMapping? Mapping { get; }

    public static DenseTrace Load(ITraceReader reader, PageMapping mapping)
    {
        var remapper = new PageRemapper();
        var pages = new List<int>();
        var request = new TraceRequest();
        while (reader.Read(ref request))
        {
            var (first, count) = mapping.Pages(request);
            for (long k = 0; k < count; k++) pages.Add(remapper.Dense(first + (ulong)k));
        }
        return new DenseTrace([.. pages], reader.RecordNumber, remapper.UniquePages, mapping);
    }

    public static DenseTrace Load(string path, TraceFormat format, PageMapping mapping, CsvTraceColumns? csvColumns = null)
    {
        using var reader = TraceFile.Open(path, format, csvColumns);
        return Load(reader, mapping);
    }

    /// <summary>Wraps page references already dense (tests, synthetic streams).</summary>
    public static DenseTrace FromPages(int[] pages)
    {
        int unique = pages.Length == 0 ? 0 : pages.Max() + 1;
        if (pages.Length > 0 && pages.Min() < 0) throw new ArgumentException("dense page ids must be >= 0", nameof(pages));
        return new DenseTrace(pages, pages.Length, unique, null);
    }
}

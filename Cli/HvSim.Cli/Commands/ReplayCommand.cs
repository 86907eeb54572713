using System.CommandLine;
using System.Globalization;
using CsvHelper;
using HvSim.Model.Replacement;
using HvSim.Traces;
using Spectre.Console;

namespace HvSim.Cli.Commands;

/// <summary>`hvsim replay TRACE`: pure page replacement of a trace against each policy and capacity.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var command = new Command("replay",
            "Replay a trace against page-replacement policies (demand caching, one object = one page, libCacheSim cachesim --ignore-obj-size 1 semantics)");
        var input = new TraceInput(command);
        var policies = new Option<string>("--policy")
        {
            Description = $"Comma-separated policies: {string.Join(", ", ReplacementPolicies.Names)}",
            DefaultValueFactory = _ => string.Join(',', ReplacementPolicies.Names),
        };
        var sizes = new Option<string>("--sizes")
        {
            Description = "Comma-separated capacities in pages, or percentages of the trace's distinct pages (e.g. 489,2448 or 1%,5%)",
            DefaultValueFactory = _ => "1%,5%,10%,25%",
        };
        var loop = new Option<int>("--loop")
        {
            Description = "Replay the trace N times back to back through the same cache",
            DefaultValueFactory = _ => 1,
        };
        var csv = new Option<bool>("--csv") { Description = "Print CSV (policy,capacity,requests,misses,miss_ratio,seconds) instead of a table" };
        command.Options.Add(policies);
        command.Options.Add(sizes);
        command.Options.Add(loop);
        command.Options.Add(csv);
        command.SetAction(parse =>
        {
            string[] policyNames = ParsePolicies(parse.GetValue(policies)!);
            int loops = parse.GetValue(loop);
            if (loops < 1) throw new UserInputException($"hvsim replay: --loop must be >= 1, got {loops}");
            var trace = input.Load(parse, "replay");
            int[] capacities = ParseSizes(parse.GetValue(sizes)!, trace.UniquePages);
            var results = new List<ReplayResult>();
            foreach (string policy in policyNames)
                foreach (int capacity in capacities)
                    results.Add(TraceReplay.Run(trace, policy, capacity, loops));
            if (parse.GetValue(csv)) WriteCsv(results);
            else WriteTable(results, trace, input.Describe(parse));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string[] ParsePolicies(string text)
    {
        string[] names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (string name in names)
            if (!ReplacementPolicies.Names.Contains(name))
                throw new UserInputException($"hvsim replay: --policy: unknown policy '{name}' (allowed: {string.Join(", ", ReplacementPolicies.Names)})");
        return names.Length > 0 ? names : throw new UserInputException("hvsim replay: --policy: give at least one policy");
    }

    /// <summary>Capacities as pages, or as a percentage of the distinct pages (rounded, at least 1 page).</summary>
    private static int[] ParseSizes(string text, int distinctPages)
    {
        var capacities = new List<int>();
        foreach (string item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (item.EndsWith('%') && double.TryParse(item[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double percent) && percent > 0)
                capacities.Add((int)Math.Max(1, Math.Round(percent / 100 * distinctPages)));
            else if (int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out int pages) && pages >= 1)
                capacities.Add(pages);
            else
                throw new UserInputException($"hvsim replay: --sizes: '{item}' is not a capacity (a whole number of pages >= 1, or a percentage such as 5%)");
        }
        return capacities.Count > 0 ? [.. capacities] : throw new UserInputException("hvsim replay: --sizes: give at least one capacity");
    }

    private static void WriteCsv(List<ReplayResult> results)
    {
        using var writer = CsvWriter.Create(Console.Out, CsvWriterOptions.Default with { NewLine = "\n" }, leaveOpen: true);
        writer.WriteHeader(["policy", "capacity", "requests", "misses", "miss_ratio", "seconds"]);
        foreach (var r in results)
            writer.WriteRecord([
                r.Policy,
                r.Capacity.ToString(CultureInfo.InvariantCulture),
                r.Requests.ToString(CultureInfo.InvariantCulture),
                r.Misses.ToString(CultureInfo.InvariantCulture),
                r.MissRatio.ToString("F6", CultureInfo.InvariantCulture),
                r.Seconds.ToString("F4", CultureInfo.InvariantCulture),
            ]);
    }

    private static void WriteTable(List<ReplayResult> results, DenseTrace trace, string source)
    {
        var table = new Table().Title($"{Markup.Escape(source)}: {trace.Requests:N0} requests, {trace.Pages.Length:N0} page references, {trace.UniquePages:N0} distinct pages");
        table.AddColumn("policy");
        foreach (string column in new[] { "capacity", "requests", "misses", "miss ratio", "seconds", "M req/s" })
            table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var r in results)
            table.AddRow(r.Policy, r.Capacity.ToString("N0"), r.Requests.ToString("N0"), r.Misses.ToString("N0"), r.MissRatio.ToString("F4"),
                r.Seconds.ToString("F3"), r.Seconds > 0 ? (r.Requests / r.Seconds / 1e6).ToString("F1") : "-");
        AnsiConsole.Write(table);
    }
}

/// <summary>The trace argument and reader options shared by `hvsim replay` and `hvsim mrc`.</summary>
internal sealed class TraceInput
{
    private readonly Argument<string> _path = new("TRACE") { Description = "Trace file" };
    private readonly Option<string?> _format = new("--format")
    {
        Description = $"Trace format: {string.Join(", ", TraceFormats.Names)} (default: from the file extension .csv, .vscsi, .bin/.oracleGeneral)",
    };
    private readonly Option<string> _mapping = new("--mapping")
    {
        Description = "object: each object id is one page (count-based); pages: each request touches every page of its byte range (requests then count page references)",
        DefaultValueFactory = _ => "object",
    };
    private readonly Option<int> _pageSize = new("--page-size") { Description = "Page size in bytes for --mapping pages", DefaultValueFactory = _ => 4096 };
    private readonly Option<int> _idUnit = new("--id-unit") { Description = "Bytes per object-id unit for --mapping pages (512: ids are sectors)", DefaultValueFactory = _ => 512 };
    private readonly Option<string?> _columns = new("--columns")
    {
        Description = "CSV columns time,obj_id,size,op as 1-based numbers, 0 = absent (default: 1,2,3,4, or by name from a header: time/timestamp, obj_id/id/lbn/key, size, op)",
    };
    private readonly Option<string> _header = new("--header") { Description = "CSV header line: auto, yes or no", DefaultValueFactory = _ => "auto" };

    public TraceInput(Command command)
    {
        command.Arguments.Add(_path);
        foreach (var option in new Option[] { _format, _mapping, _pageSize, _idUnit, _columns, _header })
            command.Options.Add(option);
        _header.AcceptOnlyFromAmong("auto", "yes", "no");
        _mapping.AcceptOnlyFromAmong("object", "pages");
    }

    public string Describe(ParseResult parse) => Path.GetFileName(parse.GetValue(_path)!);

    /// <summary>Read the whole trace into dense page references; bad options or files become one-line user errors.</summary>
    public DenseTrace Load(ParseResult parse, string commandName) => Read(parse, commandName, DenseTrace.Load);

    /// <summary>Stream the trace through <paramref name="read"/>; bad options or files become one-line user errors.</summary>
    public T Read<T>(ParseResult parse, string commandName, Func<ITraceReader, PageMapping, T> read)
    {
        string path = parse.GetValue(_path)!;
        try
        {
            var format = parse.GetValue(_format) is { } name ? TraceFormats.Parse(name) : FormatFromExtension(path);
            var mapping = parse.GetValue(_mapping) == "pages"
                ? PageMapping.Expand(parse.GetValue(_pageSize), parse.GetValue(_idUnit))
                : PageMapping.ObjectPerPage;
            using var reader = TraceFile.Open(path, format, Columns(parse));
            var result = read(reader, mapping);
            return reader.RecordNumber > 0 ? result : throw new TraceException(path, 0, "the trace has no requests");
        }
        catch (Exception e) when (e is TraceException or ArgumentException)
        {
            throw new UserInputException($"hvsim {commandName}: {e.Message}");
        }
    }

    /// <summary>The format its extension names; a missing file is said to be missing first, since no --format would help.</summary>
    private static TraceFormat FormatFromExtension(string path) => TraceFormats.FromExtension(path)
        ?? (FileKinds.NotRegular(path) == FileKinds.NotFound
            ? throw TraceFile.Missing(path)
            : throw new ArgumentException($"--format: cannot tell the format of '{path}' from its extension; give --format {string.Join("|", TraceFormats.Names)}"));

    private CsvTraceColumns Columns(ParseResult parse)
    {
        bool? header = parse.GetValue(_header) switch { "yes" => true, "no" => false, _ => null };
        if (parse.GetValue(_columns) is not { } text) return CsvTraceColumns.Default with { HasHeader = header };
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        var numbers = parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : -1).ToArray();
        if (numbers.Length != 4 || numbers.Any(n => n < 0))
            throw new ArgumentException($"--columns: '{text}' is not four column numbers time,obj_id,size,op (1-based, 0 = absent)");
        return new CsvTraceColumns { Time = numbers[0], ObjectId = numbers[1], Size = numbers[2], Op = numbers[3], HasHeader = header, MatchHeaderNames = false };
    }
}

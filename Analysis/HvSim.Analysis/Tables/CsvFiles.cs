using CsvHelper;

namespace HvSim.Analysis.Tables;

/// <summary>How analysis writes its CSV files: like the results tables (LF line ends, true/false), so pandas and R read them without options.</summary>
internal static class CsvFiles
{
    public static CsvWriterOptions WriterOptions { get; } = CsvWriterOptions.Default with { NewLine = "\n", TrueValue = "true", FalseValue = "false" };
}

using System.Globalization;
using CsvHelper;

namespace HvSim.Analysis.Tables;

/// <summary>
/// A CSV number in plain decimal notation that reads back to the same double: the shortest round-trip digits, with
/// the exponent written out as zeros (`0.000003`, not `3E-06`), so that a column reads the same way in every row
/// whatever the magnitude, for people and for tools that do not take exponents.
/// </summary>
public sealed class PlainNumberConverter : ICsvConverter<double>
{
    public double Read(CsvReader reader, int index) => reader.Parse<double>(index);

    public void Write(CsvWriter writer, double value) => writer.WriteField(Format(value));

    public static string Format(double value)
    {
        string shortest = value.ToString("R", CultureInfo.InvariantCulture);
        int e = shortest.IndexOf('E');
        if (e < 0) return shortest;
        int exponent = int.Parse(shortest.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string mantissa = shortest[..e];
        string sign = mantissa.StartsWith('-') ? "-" : "";
        mantissa = mantissa.TrimStart('-');
        int dot = mantissa.IndexOf('.');
        string digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        // Where the decimal point lands in the digits once the exponent is applied.
        int point = (dot < 0 ? mantissa.Length : dot) + exponent;
        string plain = point <= 0 ? "0." + new string('0', -point) + digits
            : point >= digits.Length ? digits + new string('0', point - digits.Length)
            : digits[..point] + "." + digits[point..];
        return sign + plain;
    }
}

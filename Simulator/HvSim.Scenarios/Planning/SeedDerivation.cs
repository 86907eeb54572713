using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HvSim.Scenarios.Planning;

/// <summary>
/// Seed of one run: the first 8 bytes (little-endian) of SHA-256 over the UTF-8 text
/// "hvsim-run-seed/v1\n{scenario seed}\n{point key}\n{replication}", where the point key is `path=value;...` with
/// canonical values (sizes in bytes, durations in ns). It depends on the point's values, not its position, so adding
/// points to a sweep leaves the other points' seeds unchanged. Both platforms of a point share a seed (paired runs).
/// </summary>
public static class SeedDerivation
{
    public static ulong Derive(ulong scenarioSeed, string pointKey, int replication)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"hvsim-run-seed/v1\n{scenarioSeed}\n{pointKey}\n{replication}");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }
}

namespace HvSim.Scenarios.Tests;

/// <summary>
/// Every malformed scenario goes through the real CLI (`hvsim validate` and `hvsim run`) and must give exit 2, a
/// located `file:line:col: error:` message naming the problem, no stack trace, and no results written. The expected
/// location is written by hand in the first line of each corpus file (`# expect: [file:]line:col message`).
/// </summary>
[Collection(CliCollection.Name)]
public class MalformedScenarioTests
{
    private static readonly string CorpusDir = Repo.Path("tests", "HvSim.Scenarios.Tests", "Corpus");

    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(CorpusDir, "*.yaml").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void CorpusFileIsRejectedWithItsLocation(string name)
    {
        var file = Path.Combine(CorpusDir, name);
        var expect = File.ReadLines(file).First();
        Assert.StartsWith("# expect: ", expect);
        expect = expect["# expect: ".Length..];
        var location = expect[..expect.IndexOf(' ')];
        var message = expect[(expect.IndexOf(' ') + 1)..];
        var locatedFile = location.Count(c => c == ':') == 2 ? Path.Combine(CorpusDir, location[..location.IndexOf(':')]) : file;
        var lineCol = location.Count(c => c == ':') == 2 ? location[(location.IndexOf(':') + 1)..] : location;

        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Contains($"{locatedFile}:{lineCol}: error: {message}", err);
        Assert.Contains("(allowed: ", err);
        Assert.DoesNotContain("   at ", err);
        AssertRunRefuses(file);
    }

    [Fact]
    public void AnEmptyFileIsRefusedAsEmpty() => AssertRejectedAt("", "1:1: error: scenario file is empty (allowed: a mapping of scenario keys");

    [Fact]
    public void AFileOfCommentsOnlyIsRefusedAsEmpty() => AssertRejectedAt("# nothing here\n\n", "1:1: error: scenario file is empty (allowed: a mapping of scenario keys");

    [Fact]
    public void FlowSequencesNestedDeeperThan32LevelsAreRefused() => AssertRejectedAt("a: " + new string('[', 200) + new string(']', 200) + "\n", "1:36: error: nesting deeper than 32 levels (allowed: at most 32 levels");

    [Fact]
    public void MappingsNestedDeeperThan32LevelsAreRefusedAtTheFirstKeyTooDeep()
    {
        var text = string.Concat(Enumerable.Range(0, 60).Select(i => new string(' ', 2 * i) + $"k{i}:\n"));
        // key k32 is the 33rd level, on line 33, indented 2 x 32 spaces: column 65.
        AssertRejectedAt(text, "33:65: error: nesting deeper than 32 levels (allowed: at most 32 levels");
    }

    [Fact]
    public void BinaryJunkIsRefusedAsBinaryByValidateAndRun()
    {
        var bytes = new byte[512];
        new Random(7).NextBytes(bytes);
        bytes[100] = 0;
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "junk.yaml");
        File.WriteAllBytes(file, bytes);
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Contains($"{file}:1:1: error: file is binary, not a YAML text file (allowed: a UTF-8 YAML document)", err);
        AssertRunRefuses(file);
    }

    [Fact]
    public void InvalidUtf8WithoutZeroBytes()
    {
        var bytes = Enumerable.Range(0, 400).Select(i => (byte)(0x80 + i % 0x7f)).ToArray();
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "junk.yaml");
        File.WriteAllBytes(file, bytes);
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        // The first byte, 0x80, is a continuation byte with no lead byte: invalid at 1:1.
        Assert.Contains($"{file}:1:1: error: invalid UTF-8 byte (allowed: a UTF-8 text file)", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void AMissingFileIsReportedAsNotFoundWithExit2()
    {
        var (exit, _, err) = Cli.Run("validate", "/no/such/scenario.yaml");
        Assert.Equal(2, exit);
        Assert.Contains("/no/such/scenario.yaml:1:1: error: file not found (allowed: an existing scenario file)", err);
    }

    [Fact]
    public void EveryProblemIsReportedNotJustTheFirst()
    {
        const string text = """
            platfrom: power7
            duration: 10 parsecs
            host:
              swap: {device: floppy}
            guests:
              vcpus: -1
              workload: {kind: zipff}
            """;
        using var dir = new TempDir();
        var file = dir.File("many.yaml", text);
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Contains($"{file}:1:1: error: unknown key 'platfrom'", err);
        Assert.Contains($"{file}:2:11: error: 'duration' has a bad value '10 parsecs'", err);
        Assert.Contains($"{file}:4:18: error: 'device' cannot be 'floppy'", err);
        Assert.Contains($"{file}:6:10: error: 'vcpus' is out of range: -1", err);
        Assert.Contains($"{file}:7:20: error: 'kind' cannot be 'zipff'", err);
        Assert.Contains("5 problems found.", err);
    }

    [Fact]
    public void Ppc970RmaPoolLargerThanTheHostIsRefusedWithItsArithmetic()
    {
        const string text = """
            platform: ppc970
            host:
              memory: 1GiB
              rma: 128MiB
              rma_count: 5
            guests:
              memory: 256MiB
              workload: {kind: uniform}
            """;
        using var dir = new TempDir();
        var file = dir.File("rma.yaml", text);
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        // 5 x 128 MiB = 640 MiB of pool against 1 GiB - 512 MiB reserved.
        Assert.Contains($"{file}:5:14: error: the PPC970 RMA pool of 5 x 128MiB = 640MiB does not fit in the 512MiB of host memory left after reserved", err);
        Assert.Contains("rma_count x rma <= 512MiB", err);
        Assert.Contains("1 problem found.", err);
        // The same host runs POWER7 guests, which need no RMA.
        var (ok, _, _) = Cli.Run("validate", dir.File("p7.yaml", text.Replace("platform: ppc970", "platform: power7")));
        Assert.Equal(0, ok);
    }

    [Fact]
    public void SwapTooSmallSaysHowMuchIsNeededInReadableUnits()
    {
        using var dir = new TempDir();
        var file = dir.File("swap.yaml", "host: {memory: 2GiB, swap: {capacity: 16GiB}}\nguests: {count: 4, memory: 16GiB, workload: {kind: uniform}}\n");
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        // min_free_kbytes = floor(sqrt(16 x 2097152)) = 5792, high = 3/2 min = 8688 KiB; KVM memory per 16 GiB guest (3.4
        // book3s_64_mmu_hv.c kvmppc_alloc_hpt, kvm_main.c __kvm_set_memory_region): HPT 16384 + revmap 16384 + rmap 262144
        // pages x 8 B = 2048 KiB, x 4 guests = 139264 KiB (136 MiB). 2 GiB - 512 MiB reserved - high - KVM memory
        // = 1572864 - 8688 - 139264 = 1424912 KiB (1.36 GiB) available; 64 GiB = 67108864 KiB of guests - 1424912
        // = 65683952 KiB (62.64 GiB) to page out.
        Assert.Contains($"{file}:1:39: error: swap capacity 16GiB is smaller than the 62.64GiB (65683952KiB) the POWER7 host may have to page out " +
            "(guest memory 64GiB - 1.36GiB (1424912KiB) host memory available above the high watermark, beside 136MiB of KVM memory for the guests' " +
            "HPTs, revmaps and rmaps) (allowed: swap capacity >= 62.64GiB (65683952KiB), or less overcommit)", err);
    }

    [Fact]
    public void SwapJustTooSmallShowsTwoDifferentSizes()
    {
        using var dir = new TempDir();
        // 4 GiB - 512 MiB reserved = 3670016 KiB; high = 3/2 x 1024 KiB = 1536 KiB; KVM memory per guest (3.4
        // book3s_64_mmu_hv.c kvmppc_alloc_hpt, kvm_main.c __kvm_set_memory_region): HPT 16384 KiB + revmap 16384 KiB + rmap
        // 65536 pages x 8 B = 512 KiB, so 2 x 33280 = 66560 KiB. 3670016 - 1536 - 66560 = 3601920 KiB is available;
        // 2 x 4 GiB = 8388608 KiB of guests - 3601920 = 4786688 KiB to page out. A swap of 4786624 KiB is 64 KiB short.
        // Located at the capacity's value: column 62 of line 1.
        var file = dir.File("swap.yaml",
            "host: {memory: 4GiB, min_free_kbytes: 1024, swap: {capacity: 4786624KiB}}\nguests: {count: 2, memory: 4GiB, workload: {kind: uniform}}\n");
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Contains($"{file}:1:62: error: swap capacity 4.56GiB (4786624KiB) is smaller than the 4.56GiB (4786688KiB) the POWER7 host may have to page out " +
            "(guest memory 8GiB - 3.44GiB (3601920KiB) host memory available above the high watermark, beside 65MiB of KVM memory for the guests' " +
            "HPTs, revmaps and rmaps) (allowed: swap capacity >= 4.56GiB (4786688KiB), or less overcommit)", err);
    }

    [Fact]
    public void WatermarksJustTooHighShowTwoDifferentSizes()
    {
        using var dir = new TempDir();
        // high = 3/2 x 43691 KiB = 65536.5 KiB = 67109376 B, 512 B more than the 64 MiB left; both round to 64MiB.
        var file = dir.File("w.yaml", "host: {memory: 64MiB, reserved: 0B, min_free_kbytes: 43691}\nguests: {memory: 16MiB, workload: {kind: uniform}}\n");
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        // Located at min_free_kbytes' value: column 54 of line 1.
        Assert.Contains($"{file}:1:54: error: watermarks min 42.67MiB, low 53.33MiB, high 64MiB (67109376B) do not fit below the 64MiB of host memory left after reserved", err);
        // 43690 x 1536 B = 67107840 B fits below 67108864 B: the bound names the first value that does not.
        Assert.Contains("(allowed: min_free_kbytes < 43691, so that high = 3/2 min stays below memory - reserved)", err);
        (exit, _, err) = Cli.Run("validate", dir.File("ok.yaml", File.ReadAllText(file).Replace("43691", "43690")));
        Assert.True(exit == 0, err);
    }

    [Fact]
    public void MoreGuestThreadsThanTheHostCoreHasAreRefusedAtTheKey()
    {
        // QEMU refuses -smp threads above kvmppc_smt_threads() (KVM_CAP_PPC_SMT): 4 on POWER7, 1 on PPC970.
        const string text = """
            platform: both
            guests:
              vcpus: 4
              threads: 2
              workload: {kind: uniform}
            """;
        using var dir = new TempDir();
        var file = dir.File("threads.yaml", text);
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Contains($"{file}:4:12: error: 2 threads per core on ppc970: QEMU refuses more threads than the host core has (allowed: threads <= 1 on ppc970)", err);
        (exit, _, err) = Cli.Run("validate", dir.File("power7.yaml", text.Replace("platform: both", "platform: power7")));
        Assert.True(exit == 0, err);
        // POWER7 cores have 4 threads (SMT4), the most any platform has: 5 is out of the key's range, at its value.
        var five = dir.File("five.yaml", text.Replace("threads: 2", "threads: 5"));
        (exit, _, err) = Cli.Run("validate", five);
        Assert.Equal(2, exit);
        Assert.Contains($"{five}:4:12: error: 'threads' is out of range: 5 (allowed: an integer in [1, 4])", err);
    }

    [Fact]
    public void ConsistencyProblemsAreReportedInTheSamePassAsValueProblems()
    {
        // A missing trace file (a value problem) used to hide the four consistency problems until it was fixed.
        const string text = """
            warmup: 2min
            duration: 1min
            host:
              memory: 1GiB
              min_free_kbytes: 99999999
              swap:
                capacity: 1MiB
            guests:
              memory: 4GiB
              hpt_order: 18
              workload:
                kind: trace
                path: /no/such/trace.csv
            """;
        using var dir = new TempDir();
        var file = dir.File("all.yaml", text);
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Contains($"{file}:1:9: error: warmup 2min is not shorter than duration 1min", err);
        // min = 99999999 KiB = 95.37 GiB, low = 5/4 min = 119.21 GiB, high = 3/2 min = 153599998464 B = 143.05 GiB;
        // 1GiB - 512MiB reserved left.
        Assert.Contains($"{file}:5:20: error: watermarks min 95.37GiB, low 119.21GiB, high 143.05GiB (153599998464B) do not fit below the 512MiB of host memory left after reserved", err);
        // 4 GiB of 64 KiB pages = 65536 pages; order 18 = 256 KiB = 16384 HPTEs.
        Assert.Contains($"{file}:10:14: error: HPT too small for the guest: order 18 (256KiB) holds 16384 HPTEs, fewer than the guest's 65536 pages", err);
        Assert.Contains($"{file}:13:11: error: file not found: /no/such/trace.csv", err);
        // The swap rule reads the memory left above the high watermark, which does not exist here: not reported twice.
        Assert.DoesNotContain("swap capacity", err);
        Assert.Contains("4 problems found.", err);
    }

    [Fact]
    public void ARuleRunsWhenItsOwnInputsAreGoodWhateverElseIsBad()
    {
        const string text = """
            duraton: 60s
            host:
              memroy: 8GiB
              page_size: 8KiB
              swap: nvme
            guests:
              count: -1
              memory: 3 GB
              workload: {kind: zipff}
            """;
        using var dir = new TempDir();
        var file = dir.File("b1.yaml", text);
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Contains($"{file}:4:14: error: host page size 8KiB is not supported", err);
        // Rules whose inputs are bad stay silent: guest memory vs the (bad) host page size, swap vs the (bad) guest count.
        Assert.DoesNotContain("whole number", err);
        Assert.DoesNotContain("swap capacity", err);
        Assert.Contains("6 problems found.", err);
    }

    [Fact]
    public void ABadValueSilencesTheRulesThatReadIt()
    {
        using var dir = new TempDir();
        var file = dir.File("w.yaml", "warmup: 2 minutes\nduration: 1s\ninterval: 2s\nguests: {workload: {kind: uniform}}\n");
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Contains($"{file}:1:9: error: 'warmup' has a bad value '2 minutes'", err);
        Assert.DoesNotContain("not shorter than duration", err);
        Assert.Contains($"{file}:3:11: error: interval 2s is longer than duration 1s", err);
        Assert.Contains("2 problems found.", err);
    }

    [Fact]
    public void ReservedAboveMemoryIsOneProblemNotTwo()
    {
        using var dir = new TempDir();
        var file = dir.File("r.yaml", "duration: 1s\nhost: {memory: 256MiB}\nguests: {memory: 64MiB, workload: {kind: uniform}}\n");
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        // reserved is the default, not written: located at the memory it leaves nothing of, column 16 of line 2.
        Assert.Contains($"{file}:2:16: error: reserved 512MiB leaves nothing of host memory 256MiB (allowed: reserved < memory)", err);
        Assert.DoesNotContain("watermarks", err);
        Assert.Contains("1 problem found.", err);
    }

    [Fact]
    public void GuestPageLargerThanHostPageIsRefusedAtTheGuestPageSize()
    {
        using var dir = new TempDir();
        var file = dir.File("p.yaml", "host:\n  memory: 1GiB\n  page_size: 4KiB\nguests:\n  memory: 256MiB\n  page_size: 64KiB\n  workload: {kind: uniform}\n");
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Contains($"{file}:6:14: error: guest pages of 64KiB need host pages at least as large, the host has 4KiB", err);
        AssertRunRefuses(file);
    }

    [Fact]
    public void SixtyFourKiBGuestPagesOnPpc970AreRefusedAtTheGuestPageSize()
    {
        // 3.4 kvm_book3s_64.h hpte_page_size: 64 KiB HPTEs only with CPU_FTR_ARCH_206, so PPC970's kvmppc_h_enter returns
        // H_PARAMETER. Written out, 64KiB is refused wherever a ppc970 run is asked for; auto gives PPC970 4 KiB pages.
        using var dir = new TempDir();
        const string text = "platform: both\nhost:\n  memory: 8GiB\nguests:\n  memory: 1GiB\n  page_size: 64KiB\n  workload: {kind: uniform}\n";
        var file = dir.File("p970.yaml", text);
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Contains($"{file}:6:14: error: guest pages of 64KiB on PPC970: H_ENTER returns H_PARAMETER", err);
        Assert.Contains("(allowed: 4KiB or auto with a ppc970 platform; 64KiB only with platform: power7)", err);
        Assert.Contains("1 problem found.", err);
        AssertRunRefuses(file);
        Assert.Equal(0, Cli.Run("validate", dir.File("p7.yaml", text.Replace("platform: both", "platform: power7"))).Exit);
        Assert.Equal(0, Cli.Run("validate", dir.File("auto.yaml", text.Replace("64KiB", "auto"))).Exit);
    }

    [Fact]
    public void AnOverIndentedKeyIsReportedAtItsIndentationWithAHint()
    {
        using var dir = new TempDir();
        var file = dir.File("i.yaml", "name: b2\nhost:\n  memory: 8GiB\n   page_size: 64KiB\n");
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Contains($"{file}:4:4: error: YAML syntax error: ", err);
        Assert.Contains("(check the indentation of this line) (allowed: valid YAML 1.1)", err);
    }

    [Fact]
    public void AnEmptyPhaseListIsCalledEmpty() =>
        AssertRejectedAt("guests:\n  workload:\n    kind: phased\n    phases: []\n", "4:13: error: 'phases' must be a non-empty list, not an empty list (allowed: ");

    [Fact]
    public void AnEmptyGuestListIsCalledEmpty() =>
        AssertRejectedAt("guests: []\n", "1:9: error: 'guests' must be a guest profile or a non-empty list of profiles, not an empty list (allowed: ");

    private const string TabError = "error: YAML syntax error: a tab in the indentation (YAML indents with spaces only) (check the indentation of this line) (allowed: ";

    [Fact]
    public void ATabAsIndentationIsReportedAtTheTab() =>
        // YamlDotNet itself says 1:1 here.
        AssertRejectedAt("name: e6\nduration: 3s\nguests:\n\tmemory: 256MiB\n", "4:1: " + TabError);

    [Fact]
    public void ATabAfterSpacesInTheIndentationIsReportedAtTheTab() =>
        // YamlDotNet locates this one at the value on the line before (3:11).
        AssertRejectedAt("name: e7\nguests:\n  memory: 256MiB\n  \tvcpus: 2\n", "4:3: " + TabError);

    [Fact]
    public void ATabIndentingAKeyOfANestedMappingGetsTheSameMessage() =>
        // YamlDotNet words this one "While scanning a plain scalar, found a tab character that violate indentation".
        AssertRejectedAt("guests:\n  workload:\n    kind: uniform\n\tthink: 5us\n", "4:1: " + TabError);

    [Fact]
    public void ATabAfterSpacesIndentingAKeyOfANestedMappingIsReportedAtTheTab() =>
        AssertRejectedAt("guests:\n  workload:\n    kind: uniform\n    \tthink: 5us\n", "4:5: " + TabError);

    [Fact]
    public void ProblemsInAnExtendedFileAreLocatedInThatFile()
    {
        using var dir = new TempDir();
        dir.File("base.yaml", "host:\n  memory: 8 gigs\nguests: {workload: {kind: uniform}}\n");
        var child = dir.File("child.yaml", "extends: base.yaml\nhost: {page_size: 4KiB}\n");
        var (exit, _, err) = Cli.Run("validate", child);
        Assert.Equal(2, exit);
        Assert.Contains($"{Path.Combine(dir.Path, "base.yaml")}:2:11: error: 'memory' has a bad value '8 gigs' (allowed: an integer number of bytes or a number with a unit", err);
    }

    [Fact]
    public void ATraceThatTouchesMorePagesThanTheGuestHasIsRefusedAtTheGuestMemory()
    {
        using var dir = new TempDir();
        // 257 distinct objects, each requested twice: 257 guest pages under mapping: object.
        var trace = dir.File("t.csv", string.Concat(Enumerable.Range(0, 514).Select(i => $"{i},{i % 257 * 7},4096,R\n")));
        const string text = "duration: 10ms\ninterval: 1ms\nguests:\n  memory: 16MiB\n  page_size: 64KiB\n  workload: {kind: trace, path: t.csv}\n";
        // 16 MiB in 64 KiB pages = 256 pages, one short; 257 x 64 KiB = 16448 KiB = 16.0625 MiB.
        var small = dir.File("small.yaml", text);
        var (exit, _, err) = Cli.Run("validate", small);
        Assert.Equal(2, exit);
        Assert.Contains($"{small}:4:11: error: trace {trace} touches 257 distinct pages, more than the guest's 256 pages of 64KiB in memory 16MiB " +
            "(allowed: memory >= 16.06MiB (16448KiB): 257 pages of 64KiB)", err);
        AssertRunRefuses(small);

        var exact = dir.File("exact.yaml", text.Replace("16MiB", "16448KiB"));
        (exit, _, err) = Cli.Run("validate", exact);
        Assert.True(exit == 0, err);
        // The run, which counts the trace's pages again, agrees.
        (exit, _, err) = Cli.Run("run", exact, "--out", Path.Combine(dir.Path, "out"));
        Assert.True(exit == 0, err);
    }

    [Fact]
    public void TheSmallestMemoryForALargeTraceDoesNotOverflow()
    {
        using var dir = new TempDir();
        // 40000 distinct objects in 64 KiB pages need 40000 x 65536 = 2,621,440,000 bytes = 2500 MiB (2.44 GiB):
        // more than an int holds, so a 32-bit product wrapped to a negative size.
        var trace = dir.File("t.csv", string.Concat(Enumerable.Range(0, 40_000).Select(i => $"{i},{i},4096,R\n")));
        var file = dir.File("big.yaml", "guests:\n  memory: 16MiB\n  page_size: 64KiB\n  workload: {kind: trace, path: t.csv}\n");
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Contains($"{file}:2:11: error: trace {trace} touches 40000 distinct pages, more than the guest's 256 pages of 64KiB in memory 16MiB " +
            "(allowed: memory >= 2.44GiB (2500MiB): 40000 pages of 64KiB)", err);
    }

    [Fact]
    public void TheTraceCheckCountsPagesWithEachGuestsOwnMapping()
    {
        using var dir = new TempDir();
        // One request of 16 MiB at id 8. With the default id_unit of 512 B it starts at byte 4096, so it covers
        // 4 KiB pages 1..4096: 4096 pages, exactly guest a's 16 MiB. With id_unit 1 B it starts at byte 8 and also
        // touches page 0: 4097 pages, which need 16388 KiB, rounded up to whole 64 KiB host pages: 16448 KiB.
        var trace = dir.File("t.csv", "1,8,16777216,R\n");
        var file = dir.File("m.yaml", """
            guests:
              - {name: a, memory: 16MiB, page_size: 4KiB, workload: {kind: trace, path: t.csv, mapping: expand, id_unit: 512B}}
              - {name: b, memory: 16MiB, page_size: 4KiB, workload: {kind: trace, path: t.csv, mapping: expand, id_unit: 1B}}
            """);
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Contains($"{file}:3:23: error: trace {trace} touches 4097 distinct pages, more than the guest's 4096 pages of 4KiB in memory 16MiB " +
            "(allowed: memory >= 16.06MiB (16448KiB): 4097 pages of 4KiB in whole 64KiB host pages)", err);
        Assert.Contains("1 problem found.", err);
    }

    [Fact]
    public void ATraceTooLargeForOneSweepPointNamesThatPoint()
    {
        using var dir = new TempDir();
        dir.File("t.csv", string.Concat(Enumerable.Range(0, 257).Select(i => $"{i},{i},4096,R\n")));
        var file = dir.File("s.yaml", "guests:\n  page_size: 64KiB\n  workload: {kind: trace, path: t.csv}\nsweep:\n  guests.memory: [16448KiB, 16MiB]\n");
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Contains($"{file}:5:29: error: trace ", err);
        Assert.Contains("touches 257 distinct pages, more than the guest's 256 pages of 64KiB in memory 16MiB [sweep point 1: guests.memory=16MiB] " +
            "(allowed: memory >= 16.06MiB (16448KiB): 257 pages of 64KiB)", err);
        Assert.Contains("1 problem found.", err);
    }

    [Fact]
    public void ASweepPointIsNamedWithItsValuesAsWritten()
    {
        using var dir = new TempDir();
        // Point 1 (0-based) sets warmup 20 s against a 10 s duration; canonically that warmup is 20000000000 (ns).
        var file = dir.File("w.yaml", "duration: 10s\nguests: {workload: {kind: uniform}}\nsweep:\n  mode: zip\n  warmup: [1s, 20s]\n  host.swap.latency_cv: [0.5, 5e-1]\n");
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Contains("warmup 20s is not shorter than duration 10s [sweep point 1: warmup=20s, host.swap.latency_cv=5e-1] (allowed: warmup < duration)", err);
    }

    [Fact]
    public void AFolderWhereAFileBelongsIsCalledAFolder()
    {
        using var dir = new TempDir();
        var folder = Directory.CreateDirectory(Path.Combine(dir.Path, "traces")).FullName;
        var trace = dir.File("t.yaml", "guests:\n  workload: {kind: trace, path: traces}\n");
        var (exit, _, err) = Cli.Run("validate", trace);
        Assert.Equal(2, exit);
        Assert.Contains($"{trace}:2:33: error: {folder} is a folder, not a file (allowed: an existing file;", err);

        var extends = dir.File("e.yaml", "extends: traces\nguests: {workload: {kind: uniform}}\n");
        (exit, _, err) = Cli.Run("validate", extends);
        Assert.Equal(2, exit);
        Assert.Contains($"{extends}:1:10: error: 'extends' names a folder, not a file: ", err);

        (exit, _, err) = Cli.Run("run", folder);
        Assert.Equal(2, exit);
        Assert.Contains($"{folder}:1:1: error: a folder, not a file (allowed: an existing scenario file)", err);
    }

    [Fact]
    public void AnUnreadableTraceIsRefusedAtItsPath()
    {
        using var dir = new TempDir();
        var trace = dir.File("t.csv", "1,1,4096,R\n2,x,4096,R\n");
        var file = dir.File("u.yaml", "guests:\n  workload:\n    kind: trace\n    path: t.csv\n");
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Contains($"{file}:4:11: error: cannot read the trace: {trace}: record 2: line 2: object id 'x' in column 2 is not an unsigned integer", err);
        Assert.Contains("(allowed: a readable csv trace file with at least one request, or the format it is in (csv, oracleGeneral, vscsi))", err);
        AssertRunRefuses(file);
    }

    private static void AssertRejectedAt(string text, string expected)
    {
        using var dir = new TempDir();
        var file = dir.File("bad.yaml", text);
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Contains($"{file}:{expected}", err);
        Assert.Contains("(allowed: ", err);
        Assert.DoesNotContain("   at ", err);
        AssertRunRefuses(file);
    }

    /// <summary>`hvsim run` and `hvsim batch` refuse the file the same way and write nothing.</summary>
    private static void AssertRunRefuses(string file)
    {
        using var dir = new TempDir();
        var outDir = Path.Combine(dir.Path, "out");
        var (exit, _, err) = Cli.Run("run", file, "--out", outDir);
        Assert.Equal(2, exit);
        Assert.Contains(": error: ", err);
        Assert.DoesNotContain("   at ", err);
        Assert.False(Directory.Exists(outDir), "hvsim run wrote results for a bad scenario");
        var (bexit, _, berr) = Cli.Run("batch", file, "--out", outDir, "--jobs", "1");
        Assert.Equal(2, bexit);
        Assert.Contains(": error: ", berr);
        Assert.DoesNotContain("   at ", berr);
        Assert.False(Directory.Exists(outDir), "hvsim batch wrote results for a bad scenario");
    }
}

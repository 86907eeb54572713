using System.Security.Cryptography;
using HvSim.Model.Config;
using HvSim.Scenarios.Language;
using HvSim.Scenarios.Loading;

namespace HvSim.Scenarios;

/// <summary>Loads scenario files: YAML, `extends:`, key table binding, sweep expansion and consistency checks.</summary>
public static class ScenarioLoader
{
    /// <summary>Load and check <paramref name="file"/>; throws <see cref="ScenarioException"/> listing every problem.</summary>
    public static Scenario Load(string file)
    {
        var d = new Diagnostics();
        var scenario = TryLoad(file, d);
        if (scenario is null || d.HasErrors) throw new ScenarioException(d.Sorted().ToList());
        return scenario;
    }

    public static Scenario? TryLoad(string file, Diagnostics d)
    {
        int before = d.Items.Count;
        var document = DocumentLoader.Load(file, d);
        if (document is null) return null;
        var defaultName = Path.GetFileNameWithoutExtension(file);
        var sweepNode = document.Get(Binder.SweepKey);
        var points = SweepParser.Parse(sweepNode, d, out var mode, out var labels);
        var baseDoc = document.Without(Binder.SweepKey);

        var baseBinder = new Binder(d);
        var baseTemplate = baseBinder.Bind(baseDoc, defaultName);
        // A bad sweep still leaves the rest of the file to check: check it as if it had no sweep.
        var checkedPoints = points ?? [[]];
        var bound = new List<ScenarioPoint>();
        var pointProblems = new List<(int Point, Diagnostic Problem)>();
        var traces = new TracePageCounts();
        for (int i = 0; i < checkedPoints.Count; i++)
        {
            var doc = baseDoc;
            foreach (var a in checkedPoints[i])
                doc = (MappingNode)SweepParser.Apply(doc, a.Path.Split('.'), a.Value);
            var binder = checkedPoints[i].Count == 0 ? baseBinder : new Binder(d);
            var template = checkedPoints[i].Count == 0 ? baseTemplate : binder.Bind(doc, defaultName);
            var checks = new Diagnostics();
            ConsistencyChecks.Check(template, binder, doc, checks, traces);
            pointProblems.AddRange(checks.Items.Select(p => (i, p)));
            bound.Add(new ScenarioPoint(i, checkedPoints[i], template, i < labels.Count ? labels[i] : ""));
        }
        // A problem every point has is reported once; one that only some points have names the point.
        foreach (var group in pointProblems.GroupBy(p => p.Problem))
        {
            if (group.Count() == checkedPoints.Count) d.Add(group.Key);
            else
                foreach (var (i, problem) in group)
                    d.Add(problem with { Message = $"{problem.Message} [sweep point {i}{(i < labels.Count ? $" ({labels[i]})" : "")}: {string.Join(", ", checkedPoints[i].Select(a => $"{a.Path}={a.AsWritten}"))}]" });
        }
        if (d.Items.Count > before || points is null) return null;
        return new Scenario
        {
            File = file,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))),
            Name = OutputNames.Sanitize(baseTemplate.Config.Name),
            Template = baseTemplate,
            SweepMode = mode,
            SweepPaths = points.Count > 0 ? points[0].Select(a => a.Path).ToList() : [],
            Points = bound,
            Document = baseDoc,
        };
    }

    /// <summary>
    /// The scenario with <paramref name="overrides"/> set (a plan's lever: key paths as a sweep point sets them), bound
    /// and checked as if it said `platform: <paramref name="platform"/>`; null, with the reasons in
    /// <paramref name="problems"/> (located where the plan wrote the overrides), when that platform refuses it.
    /// </summary>
    public static RunTemplate? Variant(Scenario scenario, IReadOnlyList<SweepAssignment> overrides, Platform platform, Diagnostics problems)
    {
        var doc = scenario.Document;
        foreach (var a in overrides)
            doc = (MappingNode)SweepParser.Apply(doc, a.Path.Split('.'), a.Value);
        var binder = new Binder(problems);
        var template = binder.Bind(doc, Path.GetFileNameWithoutExtension(scenario.File)) with { Platforms = [platform] };
        ConsistencyChecks.Check(template, binder, doc, problems, new TracePageCounts());
        return problems.HasErrors ? null : template;
    }
}

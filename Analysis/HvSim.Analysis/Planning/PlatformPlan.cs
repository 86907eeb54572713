using HvSim.Scenarios.Language;
using HvSim.Model.Config;

namespace HvSim.Analysis.Planning;

/// <summary>
/// The planner's answer for one platform: the largest guest count meeting the SLO (0 when not even one guest
/// does), the probe at that count and at the first failing count, and every probe made.
/// </summary>
public sealed record PlatformPlan(Platform Platform, int MaxGuests, Probe? AtLimit, Probe? FirstFailing, IReadOnlyList<Probe> Probes, bool HitSearchCap)
{
    public string Summary => MaxGuests == 0
        ? $"{ScenarioKeys.PlatformName(Platform)}: no guest count meets the SLO; 1 guest: {FirstFailing?.Verdict}"
        : $"{ScenarioKeys.PlatformName(Platform)}: at most {MaxGuests} {GuestNoun(MaxGuests)}" + (AtLimit?.Note is { } note ? $" ({note})" : "") + (HitSearchCap ? " (the search cap max_guests; more may fit)"
            : FirstFailing is null ? "" : $"; {FirstFailing.Point.Guests} {GuestNoun(FirstFailing.Point.Guests)}: {FirstFailing.Verdict}");

    /// <summary>The noun after a guest count; a plan's answer is often 1 (or 0).</summary>
    public static string GuestNoun(int count) => count == 1 ? "guest" : "guests";
}

using CustomerSuccess.Contracts.Events;
using static CustomerSuccess.Lifecycle.Domain.LifecycleTimeline;

namespace CustomerSuccess.Lifecycle.Domain;

/// <summary>The tier a customer's data qualifies it for as of an instant, before hysteresis and pins.</summary>
public static class TierCalibration
{
    /// <summary>
    /// Key account: profiled as one, or ARR at or above <see cref="LifecycleSettings.KeyAccountArr"/>. High potential: at
    /// least <see cref="LifecycleSettings.HighPotentialSignals"/> of four signals — size (paid seats or locations at or
    /// above their thresholds), strong adoption (health outcome), expansion (ARR or paid seats grew over the expansion
    /// window) and a fast first value. Otherwise standard. Null for a customer whose lifecycle has not started.
    /// </summary>
    public static TierCalibrated? Qualify(LifecycleHistory history, LifecycleSettings settings, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var now = Derive(history, settings, asOf);
        if (now.Stage is null)
        {
            return null;
        }

        if (now.KeyAccountProfiled)
        {
            return new TierCalibrated(CustomerTier.KeyAccount, "profiled as a key account", asOf);
        }

        if (now.Arr >= settings.KeyAccountArr)
        {
            return new TierCalibrated(CustomerTier.KeyAccount, Invariant($"ARR {now.Arr:0.##} at or above {settings.KeyAccountArr:0.##}"), asOf);
        }

        var signals = new List<string>();
        if (now.PaidSeats >= settings.HighPotentialSeats)
        {
            signals.Add(Invariant($"{now.PaidSeats} paid seats (at least {settings.HighPotentialSeats})"));
        }
        else if (now.Locations >= settings.HighPotentialLocations)
        {
            signals.Add(Invariant($"{now.Locations} locations (at least {settings.HighPotentialLocations})"));
        }

        if (now.Outcome >= settings.StrongAdoptionOutcome)
        {
            signals.Add(Invariant($"strong adoption: outcome {now.Outcome:0.#} (at least {settings.StrongAdoptionOutcome:0.#})"));
        }

        var then = Derive(history, settings, asOf.AddDays(-settings.ExpansionWindowDays));
        if (then.Arr > 0 && now.Arr > then.Arr)
        {
            signals.Add(Invariant($"expansion: ARR grew from {then.Arr:0.##} to {now.Arr:0.##} in {settings.ExpansionWindowDays} days"));
        }
        else if (then.PaidSeats is { } before && now.PaidSeats is { } seats && seats > before)
        {
            signals.Add(Invariant($"expansion: paid seats grew from {before} to {seats} in {settings.ExpansionWindowDays} days"));
        }

        if (now.LifeStartedAt is { } started
            && now.Milestones.FirstOrDefault(m => m.Milestone == Milestone.FirstValue && m.Life == now.Life) is { } firstValue
            && firstValue.ReachedAt - started <= TimeSpan.FromDays(settings.FastFirstValueDays))
        {
            signals.Add(Invariant($"fast start: first value {(int)(firstValue.ReachedAt - started).TotalDays} days after the start"));
        }

        if (signals.Count >= settings.HighPotentialSignals)
        {
            return new TierCalibrated(CustomerTier.HighPotential, string.Join("; ", signals), asOf);
        }

        return new TierCalibrated(CustomerTier.Standard, signals.Count == 0
            ? "no key-account or high-potential signal"
            : Invariant($"{signals.Count} of the {settings.HighPotentialSignals} high-potential signals needed: {string.Join("; ", signals)}"), asOf);
    }
}

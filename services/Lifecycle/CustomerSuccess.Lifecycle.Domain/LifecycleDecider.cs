using CustomerSuccess.Contracts.Events;
using static CustomerSuccess.Lifecycle.Domain.LifecycleTimeline;

namespace CustomerSuccess.Lifecycle.Domain;

/// <summary>
/// The decisions: given a customer's history, new facts (may be none: the passage of time alone) and the instant, the
/// events to append — the facts themselves, the day's tier calibration when it says something new, and a published
/// change for every difference between the derived lifecycle and what was published before.
/// </summary>
public static class LifecycleDecider
{
    /// <summary>The milestones whose overdue state is published.</summary>
    public static readonly IReadOnlyList<Milestone> DeliveryMilestones = [Milestone.FirstValue, Milestone.Delivered];

    public static IReadOnlyList<object> Decide(LifecycleHistory history, IReadOnlyList<object> facts, LifecycleSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(facts);
        var next = history.Copy();
        var events = new List<object>(facts);
        foreach (var fact in facts)
        {
            next.Evolve(fact);
        }

        if (Calibrate(next, settings, now) is { } calibrated)
        {
            events.Add(calibrated);
            next.Evolve(calibrated);
        }

        events.AddRange(Changes(next, Derive(next, settings, now)));
        return events;
    }

    /// <summary>
    /// The calibration as of <paramref name="asOf"/> to record, or null when it would say nothing new: the customer has
    /// not started, a later calibration exists (a catch-up run), or the day's last calibration already found the same.
    /// </summary>
    public static TierCalibrated? Calibrate(LifecycleHistory history, LifecycleSettings settings, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(history);
        var last = history.Calibrations.Count > 0 ? history.Calibrations.MaxBy(c => c.AsOf) : null;
        if (last is not null && last.AsOf > asOf)
        {
            return null;
        }

        var calibrated = TierCalibration.Qualify(history, settings, asOf);
        if (calibrated is null
            || (last is not null && DayOf(last.AsOf) == DayOf(asOf) && last.Tier == calibrated.Tier && last.Reason == calibrated.Reason))
        {
            return null;
        }

        return calibrated;
    }

    /// <summary>What to publish so that consumers see <paramref name="view"/>: stage, tier and overdue flags that differ.</summary>
    public static IReadOnlyList<object> Changes(LifecycleHistory history, LifecycleView view)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(view);
        var changes = new List<object>();
        if (view.Stage is not { } stage)
        {
            return changes;
        }

        if (history.PublishedStage != stage)
        {
            changes.Add(new StageChanged(history.PublishedStage, stage, view.StageSince!.Value, view.StageReason ?? ""));
        }

        // Consumers take an unknown tier for standard: a new standard customer needs no message.
        var publishedTier = history.PublishedTier ?? CustomerTier.Standard;
        if (publishedTier != view.Tier || history.PublishedTierPinned != view.TierPinned)
        {
            changes.Add(new TierChanged(history.PublishedTier, view.Tier, view.TierPinned, view.TierSince ?? view.AsOf, view.TierReason));
        }

        foreach (var milestone in DeliveryMilestones)
        {
            var overdue = view.Overdue(milestone);
            // A flag published as of a later instant than this view's stays: time does not go back for it.
            var publishedLater = history.PublishedOverdueAt.TryGetValue(milestone, out var publishedAt) && publishedAt > view.AsOf;
            if (history.PublishedOverdue.GetValueOrDefault(milestone) != overdue && !publishedLater && view.DueOn(milestone) is { } dueOn)
            {
                changes.Add(new MilestoneOverdueChanged(milestone, dueOn, overdue, OverdueChangedAt(view, milestone, dueOn, overdue)));
            }
        }

        return changes;
    }

    private static DateTimeOffset OverdueChangedAt(LifecycleView view, Milestone milestone, DateOnly dueOn, bool overdue)
    {
        if (overdue)
        {
            return StartOf(dueOn.AddDays(1));
        }

        var reached = view.Milestones.FirstOrDefault(m => m.Milestone == milestone && m.Life == view.Life);
        return reached?.ReachedAt ?? view.StageSince ?? view.AsOf;
    }
}

using System.Text.Json;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.Lifecycle.Domain;

namespace CustomerSuccess.Lifecycle.Stages;

/// <summary>Maps the derived lifecycle to the public DTOs, and reads the public names of enums.</summary>
public static class LifecycleResponses
{
    public static CustomerLifecycleResponse ToResponse(this LifecycleView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new CustomerLifecycleResponse(
            view.CustomerId,
            view.Stage ?? throw new InvalidOperationException($"Customer '{view.CustomerId}' has no stage yet."),
            view.StageSince!.Value,
            view.StageHistory.Select(s => new StageHistoryEntry(s.Stage, s.Since, s.Until, s.Days(view.AsOf), s.Reason, s.Life, s.ChurnReason, s.Competitor)).ToList(),
            view.Milestones.Select(m => new MilestoneResponse(m.Milestone, m.ReachedAt, m.Life, m.Life < view.Life)).ToList(),
            view.FirstValueDueOn,
            view.FirstValueOverdue,
            view.DeliveryDueOn,
            view.DeliveryOverdue,
            view.HandoverMissing,
            view.Tier,
            view.TierPinned,
            view.TierReason,
            view.CalibratedTier,
            view.TierHistory.Select(t => new TierHistoryEntry(t.Tier, t.Since, t.Reason, t.Pinned)).ToList(),
            view.TimesWonBack,
            view.Life,
            view.AsOf);
    }

    public static LifecycleListItem ToListItem(this LifecycleSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new LifecycleListItem(
            summary.Id, summary.Stage, summary.StageSince, summary.Tier, summary.TierPinned, summary.FirstValueOverdue, summary.DeliveryOverdue,
            summary.HandoverMissing, summary.TimesWonBack, summary.EvaluatedAt);
    }

    /// <summary>Parses an enum by its public (wire) name, e.g. <c>high_potential</c>, through the enum's own JSON converter.</summary>
    public static bool TryParseWire<T>(string text, out T value) where T : struct, Enum
    {
        try
        {
            value = JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(text));

            // The converter also reads numbers and comma-separated lists ("onboarding,adoption"): neither is a wire name.
            return !int.TryParse(text, out _) && !text.Contains(',', StringComparison.Ordinal) && Enum.IsDefined(value);
        }
        catch (JsonException)
        {
            value = default;
            return false;
        }
    }

    /// <summary>The public names of an enum's values.</summary>
    public static IEnumerable<string> WireNames<T>() where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => JsonSerializer.Serialize(v).Trim('"'));
}

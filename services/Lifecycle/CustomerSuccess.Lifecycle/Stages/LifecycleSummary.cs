using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Lifecycle.Domain;

namespace CustomerSuccess.Lifecycle.Stages;

/// <summary>
/// A customer's lifecycle as of its last evaluation (its events, a pin or the daily run), written in the same transaction
/// as the stream: what the list and the metrics query, with indexes on stage, tier and the overdue flag. The daily run
/// writes every customer's again, so a summary is at most a day behind the passage of time.
/// </summary>
public sealed class LifecycleSummary
{
    public string Id { get; set; } = "";

    public LifecycleStage Stage { get; set; }

    public DateTimeOffset StageSince { get; set; }

    public CustomerTier Tier { get; set; }

    public bool TierPinned { get; set; }

    public bool FirstValueOverdue { get; set; }

    public bool DeliveryOverdue { get; set; }

    /// <summary>First value or delivery overdue (the list's <c>overdue</c> filter).</summary>
    public bool Overdue { get; set; }

    public bool HandoverMissing { get; set; }

    public int TimesWonBack { get; set; }

    public DateTimeOffset EvaluatedAt { get; set; }

    public List<StagePeriod> StageHistory { get; set; } = [];

    public List<TierPeriod> TierHistory { get; set; } = [];

    public static LifecycleSummary? From(LifecycleView view) => view.Stage is not { } stage ? null : new LifecycleSummary
    {
        Id = view.CustomerId,
        Stage = stage,
        StageSince = view.StageSince!.Value,
        Tier = view.Tier,
        TierPinned = view.TierPinned,
        FirstValueOverdue = view.FirstValueOverdue,
        DeliveryOverdue = view.DeliveryOverdue,
        Overdue = view.FirstValueOverdue || view.DeliveryOverdue,
        HandoverMissing = view.HandoverMissing,
        TimesWonBack = view.TimesWonBack,
        EvaluatedAt = view.AsOf,
        StageHistory = [.. view.StageHistory],
        TierHistory = [.. view.TierHistory],
    };
}

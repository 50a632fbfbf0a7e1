using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.Lifecycle.Stages;

/// <summary>
/// A customer's lifecycle: stage, tier and milestones, built from its stream (a Marten inline snapshot).
/// Contract signed → onboarding; first value → adoption; delivered and adopted → mature;
/// cancelled → churned; a churned customer that signs again is won back and starts onboarding again.
/// </summary>
public sealed class CustomerLifecycle
{
    public string Id { get; set; } = "";

    public LifecycleStage Stage { get; set; } = LifecycleStage.Onboarding;

    public DateTimeOffset StageSince { get; set; }

    public CustomerTier Tier { get; set; } = CustomerTier.Standard;

    public bool TierPinned { get; set; }

    public DateOnly? OnboardingStartedOn { get; set; }

    public Dictionary<Milestone, DateTimeOffset> Milestones { get; set; } = [];

    public List<StageChange> StageHistory { get; set; } = [];

    public void Apply(CustomerProfiled profiled)
    {
        if (profiled.KeyAccount is { } keyAccount && !TierPinned)
        {
            Tier = keyAccount ? CustomerTier.KeyAccount : Tier == CustomerTier.KeyAccount ? CustomerTier.Standard : Tier;
        }

        Touch(profiled.OccurredAt);
    }

    public void Apply(ContractSigned signed)
    {
        if (StageHistory.Count == 0)
        {
            MoveTo(LifecycleStage.Onboarding, signed.OccurredAt, "contract signed");
            OnboardingStartedOn = signed.StartsOn;
        }
        else if (Stage == LifecycleStage.Churned)
        {
            Milestones.Clear();
            MoveTo(LifecycleStage.Onboarding, signed.OccurredAt, "won back: signed again after churning");
            OnboardingStartedOn = signed.StartsOn;
        }
    }

    public void Apply(MilestoneReached reached)
    {
        Touch(reached.OccurredAt);
        Milestones.TryAdd(reached.Milestone, reached.OccurredAt);
        if (reached.Milestone == Milestone.FirstValue && Stage == LifecycleStage.Onboarding)
        {
            MoveTo(LifecycleStage.Adoption, reached.OccurredAt, "first value reached");
        }
        else if (reached.Milestone == Milestone.Delivered && Stage == LifecycleStage.Adoption)
        {
            MoveTo(LifecycleStage.Mature, reached.OccurredAt, "delivered after adoption");
        }
    }

    public void Apply(ContractRenewed renewed)
    {
        if (Stage == LifecycleStage.Renewal)
        {
            MoveTo(LifecycleStage.Mature, renewed.OccurredAt, "renewed");
        }
    }

    public void Apply(ContractCancelled cancelled) =>
        MoveTo(LifecycleStage.Churned, cancelled.OccurredAt, cancelled.Competitor is null
            ? $"cancelled{(cancelled.Reason is null ? "" : ": " + cancelled.Reason)}"
            : $"cancelled for {cancelled.Competitor}{(cancelled.Reason is null ? "" : ": " + cancelled.Reason)}");

    /// <summary>Delivery is due three months after onboarding started; not delivered by then is overdue.</summary>
    public bool DeliveryOverdue(DateOnly today) =>
        Stage is LifecycleStage.Onboarding or LifecycleStage.Adoption
        && OnboardingStartedOn is { } started
        && !Milestones.ContainsKey(Milestone.Delivered)
        && today > started.AddMonths(3);

    private void Touch(DateTimeOffset at)
    {
        if (StageHistory.Count == 0)
        {
            MoveTo(LifecycleStage.Onboarding, at, "first seen");
        }
    }

    private void MoveTo(LifecycleStage stage, DateTimeOffset at, string reason)
    {
        if (StageHistory.Count > 0 && Stage == stage)
        {
            return;
        }

        Stage = stage;
        StageSince = at;
        StageHistory.Add(new StageChange(stage, at, reason));
    }
}

/// <summary>One entry of the stage history.</summary>
public sealed record StageChange(LifecycleStage Stage, DateTimeOffset Since, string Reason);

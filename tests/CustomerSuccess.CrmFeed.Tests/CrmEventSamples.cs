using CustomerSuccess.Contracts.Events;
using CustomerSuccess.CrmFeed.Envelopes;

namespace CustomerSuccess.CrmFeed.Tests;

/// <summary>One envelope of every CRM feed type, as the writer emits it; also the fixtures the schema test validates.</summary>
public static class CrmEventSamples
{
    public static readonly DateTimeOffset At = new(2026, 11, 30, 9, 15, 0, TimeSpan.Zero);

    public static CustomerRiskChanged Risk(string customerId = "acme") => new()
    {
        EventId = "01JF8Z3K5Q2W9V7X6Y4T3R2E1A",
        CustomerId = customerId,
        PreviousLevel = RiskLevel.Medium,
        Level = RiskLevel.High,
        Reasons = [new RiskReason("champion_left", "Champion Dana Lee left on 2026-11-28.", At.AddDays(-2))],
        ContractId = "acme-2026",
        EndsOn = new DateOnly(2027, 1, 31),
        DaysToRenewal = 62,
        Arr = 48000m,
        Currency = "EUR",
        ChangedAt = At,
    };

    public static CloudEventEnvelope RiskEnvelope(string customerId = "acme", string? eventId = null) => CrmEvents.RiskChanged(
        Risk(customerId) with { EventId = eventId ?? Risk().EventId }, 42, "jane.doe@example.com", CustomerTier.KeyAccount,
        new CrmHealth(41.5m, HealthBand.Red, Quadrant.Q2));

    public static IEnumerable<CloudEventEnvelope> All()
    {
        yield return RiskEnvelope();
        yield return CrmEvents.RiskChanged(Risk() with { EventId = "risk-minimal", PreviousLevel = null, Reasons = [], ContractId = null, EndsOn = null, DaysToRenewal = null, Arr = null, Currency = null }, 1, null, null, null);
        yield return CrmEvents.HealthChanged(new CustomerHealthChanged
        {
            EventId = "health-1", CustomerId = "acme", Score = 41.5m, Outcome = 35m, Experience = 62.25m, Band = HealthBand.Red,
            Quadrant = Quadrant.Q2, Trend = HealthTrend.Declining, ModelVersion = 3, EvaluatedAt = At, TopReasons = ["Usage fell 40 % in 30 days"],
        }, 7);
        yield return CrmEvents.StageChanged(new CustomerStageChanged
        {
            EventId = "stage-1", CustomerId = "acme", PreviousStage = LifecycleStage.Mature, Stage = LifecycleStage.Renewal, ChangedAt = At, Reason = "Renewal window opened",
        }, 12);
        yield return CrmEvents.TierChanged(new CustomerTierChanged
        {
            EventId = "tier-1", CustomerId = "acme", PreviousTier = null, Tier = CustomerTier.KeyAccount, Pinned = true, ChangedAt = At, Reason = "Pinned by CSM",
        }, 3);
        yield return CrmEvents.RenewalWindowOpened(new RenewalWindowOpened
        {
            EventId = "window-1", CustomerId = "acme", ContractId = "acme-2026", EndsOn = new DateOnly(2027, 1, 31), OpenedOn = new DateOnly(2026, 11, 2),
        }, 9, At);
        yield return CrmEvents.WebhookDisabled("whd_1", "wh_1", "https://crm.example.com/hooks", "The receiver answered 410 Gone.", At.AddDays(-5), At);
        yield return CrmEvents.WebhookTest("test_1", "wh_1", At);
    }
}

using System.ComponentModel.DataAnnotations;
using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.Lifecycle.Domain;

/// <summary>The lifecycle and tier rules' settings (<c>Lifecycle:*</c>); every default is documented in the README.</summary>
public sealed class LifecycleSettings
{
    public const string Section = "Lifecycle";

    /// <summary>Health band a customer in adoption must hold (or better) to count as healthy.</summary>
    public HealthBand MatureBand { get; set; } = HealthBand.Green;

    /// <summary>Days of uninterrupted healthy health (at least <see cref="MatureBand"/>) in adoption before the customer is mature.</summary>
    [Range(0, 3650)]
    public int MatureAfterDays { get; set; } = 30;

    /// <summary>Days before the contract's end at which the renewal window opens (unless Renewal opened it earlier).</summary>
    [Range(0, 3650)]
    public int RenewalWindowDays { get; set; } = 90;

    /// <summary>Days after the contract's end without a renewal before the customer counts as churned (lapsed).</summary>
    [Range(0, 3650)]
    public int LapseGraceDays { get; set; } = 30;

    /// <summary>First value is due this many days after the start of onboarding.</summary>
    [Range(1, 3650)]
    public int FirstValueDueDays { get; set; } = 90;

    /// <summary>Delivery is due this many days after the start of onboarding.</summary>
    [Range(1, 3650)]
    public int DeliveryDueDays { get; set; } = 90;

    /// <summary>Days after the start by which the handover must be complete; later, a missing handover is flagged.</summary>
    [Range(0, 3650)]
    public int HandoverDueDays { get; set; } = 14;

    /// <summary>ARR (sum of the contracts in force) at or above which a customer is a key account.</summary>
    [Range(typeof(decimal), "0", "1000000000000")]
    public decimal KeyAccountArr { get; set; } = 100_000m;

    /// <summary>Paid seats at or above which a customer shows the size signal of a high-potential customer.</summary>
    [Range(1, 10_000_000)]
    public int HighPotentialSeats { get; set; } = 50;

    /// <summary>Locations at or above which a customer shows the size signal.</summary>
    [Range(1, 1_000_000)]
    public int HighPotentialLocations { get; set; } = 5;

    /// <summary>Health outcome (0–100, from HealthScore) at or above which adoption counts as strong.</summary>
    [Range(0, 100)]
    public decimal StrongAdoptionOutcome { get; set; } = 75m;

    /// <summary>Window over which growing ARR or paid seats count as an expansion signal.</summary>
    [Range(1, 3650)]
    public int ExpansionWindowDays { get; set; } = 90;

    /// <summary>First value within this many days of the start counts as a fast start (a high-potential signal).</summary>
    [Range(1, 3650)]
    public int FastFirstValueDays { get; set; } = 30;

    /// <summary>How many of the four high-potential signals (size, strong adoption, expansion, fast first value) must hold.</summary>
    [Range(1, 4)]
    public int HighPotentialSignals { get; set; } = 2;

    /// <summary>Consecutive daily calibrations that must agree on a new tier before the customer moves to it.</summary>
    [Range(1, 365)]
    public int TierHysteresisDays { get; set; } = 3;
}

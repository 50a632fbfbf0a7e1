using System.ComponentModel.DataAnnotations;

namespace CustomerSuccess.Renewal.Domain;

/// <summary>The tunable thresholds of the renewal rules (<c>Renewal:*</c>); every default is listed in the README.</summary>
public sealed class RenewalSettings
{
    public const string Section = "Renewal";

    // Renewal window.

    /// <summary>Days before a contract term ends that its renewal window opens for a customer without tags.</summary>
    [Range(1, 730)]
    public int WindowDays { get; set; } = 90;

    /// <summary>Window lead (days) for a tagged customer; the largest that applies wins over <see cref="WindowDays"/>.</summary>
    public Dictionary<string, int> WindowDaysByTag { get; set; } = new()
    {
        [DifficultyTags.Difficult] = 120,
        [DifficultyTags.VeryDifficult] = 150,
    };

    /// <summary>Days added to the window lead for each tag present (e.g. a finance run that needs a month more).</summary>
    public Dictionary<string, int> ExtraWindowDaysByTag { get; set; } = new()
    {
        [DifficultyTags.FinanceCycleMismatch] = 30,
    };

    // Difficulty from invoices and renewals.

    /// <summary>Days after the due date a payment may land and still count as on time.</summary>
    [Range(0, 60)]
    public int LateGraceDays { get; set; }

    /// <summary>An on-time payment this many days or fewer before the due date is "at the last moment".</summary>
    [Range(0, 30)]
    public int LastMomentDays { get; set; } = 2;

    /// <summary>Last-moment payments needed (and <see cref="LastMomentShare"/> of on-time ones) to call it a habit.</summary>
    [Range(1, 100)]
    public int LastMomentMinInvoices { get; set; } = 2;

    [Range(0.0, 1.0)]
    public double LastMomentShare { get; set; } = 0.5;

    /// <summary>Late invoices that make a customer very difficult ("repeatedly late"); one is difficult.</summary>
    [Range(2, 100)]
    public int RepeatedlyLateInvoices { get; set; } = 2;

    /// <summary>A renewal priced this share or more below the term before counts as renewed lower after negotiation.</summary>
    [Range(0.0, 1.0)]
    public double LowerPriceRenewalDrop { get; set; } = 0.01;

    /// <summary>
    /// Days from a term's end (the first day it no longer covers) on which a renewal may still be signed before it counts as
    /// renewed after the end; 0: a renewal signed on the end day or later is late.
    /// </summary>
    [Range(0, 60)]
    public int RenewedLateGraceDays { get; set; }

    /// <summary>The day of the month the customer's finance run closes: invoices due after it are due "late in the month".</summary>
    [Range(1, 28)]
    public int FinanceCycleCloseDay { get; set; } = 20;

    /// <summary>A late-in-the-month invoice paid in the next month on or before this day is a finance-cycle slip.</summary>
    [Range(1, 28)]
    public int FinanceCycleNextMonthDay { get; set; } = 10;

    /// <summary>Slips needed (and <see cref="FinanceCycleShare"/> of the paid late-in-the-month invoices) for the tag.</summary>
    [Range(1, 100)]
    public int FinanceCycleMinInvoices { get; set; } = 2;

    [Range(0.0, 1.0)]
    public double FinanceCycleShare { get; set; } = 0.5;

    // Worklist.

    /// <summary>
    /// Days a customer whose contracts all stopped (lapsed or cancelled) stays on the worklist, a renewal still in reach;
    /// after that it is lost, not a renewal to work on, and only its own renewal answer shows it.
    /// </summary>
    [Range(0, 3650)]
    public int WorklistStoppedDays { get; set; } = 30;

    // Risk.

    /// <summary>A term ending this close without a renewal is a reason (medium) on its own.</summary>
    [Range(1, 365)]
    public int RenewalImminentDays { get; set; } = 30;

    /// <summary>A champion or decision maker who left this recently and was not replaced is a reason.</summary>
    [Range(1, 730)]
    public int StakeholderLossDays { get; set; } = 180;

    /// <summary>A champion or decision maker gone within this many days of renewal makes the risk at least high.</summary>
    [Range(1, 365)]
    public int StakeholderLossNearRenewalDays { get; set; } = 90;

    /// <summary>Seat activation (active ÷ assigned seats) below this is a reason.</summary>
    [Range(0.0, 1.0)]
    public double SeatActivationBelow { get; set; } = 0.5;

    /// <summary>Monthly active users (÷ paid seats) this share below the customer's own baseline is a usage drop (medium).</summary>
    [Range(0.0, 1.0)]
    public double UsageDropShare { get; set; } = 0.3;

    /// <summary>A usage drop this deep is high.</summary>
    [Range(0.0, 1.0)]
    public double UsageDropSevereShare { get; set; } = 0.6;

    /// <summary>The baseline is the highest monthly-active reading HealthScore reported over this many days.</summary>
    [Range(7, 730)]
    public int UsageBaselineDays { get; set; } = 90;

    /// <summary>With incident tickets in the window, an SLA met share (%) below this is "breached incident SLAs".</summary>
    [Range(0.0, 100.0)]
    public double IncidentSlaMetBelow { get; set; } = 80;

    /// <summary>This many reasons of at least medium make the level at least high; two high ones make it critical.</summary>
    [Range(2, 20)]
    public int EscalateAtReasons { get; set; } = 3;
}

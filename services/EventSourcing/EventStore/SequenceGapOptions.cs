using System.ComponentModel.DataAnnotations;
using Marten;

namespace CustomerSuccess.EventSourcing.EventStore;

/// <summary>
/// How a service's event store treats a gap in the event sequence (<c>EventStore:SequenceGaps:*</c>). A gap is a
/// sequence number taken by an append that has not committed: either it is still running (a slow commit) or it rolled
/// back. The async daemon's high water mark, which bounds every relay and projection, holds before a gap; once the gap
/// has been stale for <see cref="StaleThreshold"/> the daemon asks PostgreSQL whether a transaction that could still
/// fill it is alive, keeps holding while one is, and skips the gap only when none is (a rollback).
/// </summary>
public sealed class SequenceGapOptions
{
    public const string Section = "EventStore:SequenceGaps";

    /// <summary>
    /// How long a gap stays before the daemon looks for a live transaction that could fill it (Marten's
    /// <c>StaleSequenceThreshold</c>). This is the delay a rolled-back append costs everything committed after it;
    /// a live append is waited for however long it takes. Default 3 s (Marten's).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan StaleThreshold { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often the late-commit audit reads the high water mark and the daemon's recorded skips. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan AuditInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the audit keeps watching a skipped sequence number for a commit before it counts it as rolled back.
    /// Default 10 minutes; PostgreSQL's <c>idle_in_transaction_session_timeout</c> below this makes it exact.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan AuditHorizon { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Sets the daemon so it never knowingly skips a live append: transaction evidence on, no cap after which it would
    /// skip anyway, and every skip recorded (<c>mt_high_water_skips</c>, which the audit reads). Marten 9's defaults
    /// already say so; setting them here keeps them from changing under us with a Marten upgrade.
    /// </summary>
    public void ApplyTo(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Projections.StaleSequenceThreshold = StaleThreshold;
        options.Projections.UseTransactionEvidenceForGapSkipping = true;
        options.Projections.SkipStaleGapsDespiteLiveTransactionsAfter = null;
        options.Events.EnableAdvancedAsyncTracking = true;
    }

    /// <summary>Refuses a service's configuration that would let the daemon skip a live append or skip without a record.</summary>
    public static void Verify(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Projections.UseTransactionEvidenceForGapSkipping
            || options.Projections.SkipStaleGapsDespiteLiveTransactionsAfter is not null
            || !options.Events.EnableAdvancedAsyncTracking)
        {
            throw new InvalidOperationException(
                "The event store must not skip a sequence gap a live transaction may still fill, nor skip without recording it: keep "
                + "Projections.UseTransactionEvidenceForGapSkipping = true, Projections.SkipStaleGapsDespiteLiveTransactionsAfter = null "
                + "and Events.EnableAdvancedAsyncTracking = true.");
        }
    }
}

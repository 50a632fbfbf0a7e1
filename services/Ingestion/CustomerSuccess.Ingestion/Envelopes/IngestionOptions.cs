using System.ComponentModel.DataAnnotations;

namespace CustomerSuccess.Ingestion.Envelopes;

/// <summary>Limits of the ingestion API (<c>Ingestion:*</c>).</summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>How far in the future <c>occurredAt</c> may lie, to allow for clocks that run ahead.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most envelopes in one <c>POST /v1/events</c> array.</summary>
    [Range(1, 10_000)]
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>Largest <c>POST /v1/events</c> body in bytes (1 MiB).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Most lines in one <c>POST /v1/events/bulk</c> request.</summary>
    [Range(1, 10_000_000)]
    public int MaxBulkLines { get; set; } = 100_000;

    /// <summary>Envelopes committed per transaction while streaming a bulk request.</summary>
    [Range(1, 10_000)]
    public int BulkCommitSize { get; set; } = 1000;

    /// <summary>
    /// How long an accepted envelope id is remembered, so that re-sending it is acknowledged as a duplicate: Ingestion's
    /// default for <c>EventStore:AppliedIdRetention</c> (its ledger is the de-duplication window).
    /// </summary>
    public static readonly TimeSpan DefaultDeduplicationWindow = TimeSpan.FromDays(30);

    /// <summary>What the API documentation says about re-sent ids (Stripe states its idempotency window the same way).</summary>
    public const string DeduplicationWindowText =
        "Idempotency: an envelope whose id was accepted within the de-duplication window (30 days by default, " +
        "EventStore:AppliedIdRetention) is acknowledged as a duplicate and not appended again. After the window the id is " +
        "forgotten and the envelope is accepted as new; the consuming services still recognise its id for their own, " +
        "longer retention (400 days by default) and do not apply it twice.";
}

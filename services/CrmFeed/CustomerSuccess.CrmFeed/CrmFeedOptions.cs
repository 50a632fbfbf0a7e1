using System.ComponentModel.DataAnnotations;
using CustomerSuccess.CrmFeed.Deliveries;

namespace CustomerSuccess.CrmFeed;

/// <summary>The feed store, the webhooks and the pull feed (<c>CrmFeed:*</c>), hosted by Renewal.</summary>
public sealed class CrmFeedOptions
{
    public const string Section = "CrmFeed";

    /// <summary>PostgreSQL schema of the feed tables; defaults to the host's <c>EventStore:Schema</c>, else <c>renewal</c>.</summary>
    [RegularExpression("^[a-z_][a-z0-9_]{0,62}$")]
    public string? Schema { get; set; }

    /// <summary>Service named in the <c>source</c> of the events the feed itself emits (webhook disabled, webhook test).</summary>
    [Required, RegularExpression("^[a-z][a-z0-9-]{0,40}$")]
    public string Service { get; set; } = "renewal";

    /// <summary>How often the dispatcher looks for due deliveries when the last look found none.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Deliveries claimed per look.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 32;

    /// <summary>Attempts in flight at once per instance.</summary>
    [Range(1, 256)]
    public int MaxConcurrentAttempts { get; set; } = 8;

    /// <summary>Waits after each failed attempt (null: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h).</summary>
    public TimeSpan[]? RetryDelays { get; set; }

    /// <summary>Fraction each retry delay varies by, both ways.</summary>
    [Range(0.0, 0.5)]
    public double RetryJitter { get; set; } = 0.1;

    /// <summary>Upper bound honoured for a receiver's <c>Retry-After</c>.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Bound on one attempt (connect, send, response headers and excerpt).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a claimed delivery stays reserved for the instance attempting it. An instance killed mid-attempt leaves
    /// its deliveries to be attempted again (same <c>webhook-id</c>) once this passes. Must exceed <see cref="AttemptTimeout"/>.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>An endpoint whose deliveries have failed without a success for this long is disabled.</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>How long the previous secret stays valid (and is signed with) after a rotation.</summary>
    public TimeSpan SecretRotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Bytes of a receiver's response body kept in the delivery log.</summary>
    [Range(0, 16_384)]
    public int ResponseExcerptBytes { get; set; } = 1024;

    /// <summary>When not empty, the only receiver hosts allowed (<c>crm.example.com</c>, <c>*.example.com</c>).</summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>Receiver hosts never allowed.</summary>
    public string[] DeniedHosts { get; set; } = [];

    /// <summary>Refuse receivers on private, loopback, link-local and reserved addresses (checked on every connection).</summary>
    public bool BlockPrivateRanges { get; set; } = true;

    /// <summary>Allow loopback receivers despite <see cref="BlockPrivateRanges"/> (local development, tests).</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Per receiver host: the share of failed attempts within <see cref="CircuitSamplingDuration"/> that opens its circuit.</summary>
    [Range(0.01, 1.0)]
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts within the sampling window before the circuit may open.</summary>
    [Range(2, 10_000)]
    public int CircuitMinimumThroughput { get; set; } = 20;

    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an open circuit fails attempts to that host at once (they are rescheduled, not lost).</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the delivery log keeps a finished delivery (delivered, or failed and not recovered) and any attempt,
    /// counted from its last attempt. Older ones are deleted: the log no longer shows them, and a recovery
    /// (<c>POST /v1/webhooks/{id}/recover</c>) can no longer queue a failed delivery again. Pending deliveries are never
    /// deleted. The pull feed (<c>GET /v1/feed</c>) is not affected.
    /// </summary>
    public TimeSpan DeliveryLogRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the delivery log's retention runs.</summary>
    public TimeSpan DeliveryLogPruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the webhook gauges (pending, failed, endpoints) are read from the database.</summary>
    public TimeSpan BacklogReadInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Largest page of the pull feed.</summary>
    [Range(1, 10_000)]
    public int MaxPageSize { get; set; } = 1000;

    public DeliverySchedule Schedule() =>
        new(RetryDelays is { Length: > 0 } delays ? delays : DeliverySchedule.DefaultDelays, RetryJitter, MaxRetryAfter);

    public ReceiverUrlPolicy UrlPolicy() => new(AllowedHosts, DeniedHosts, BlockPrivateRanges, AllowLoopback);
}

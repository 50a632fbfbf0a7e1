using System.ComponentModel.DataAnnotations;

namespace CustomerSuccess.Renewal.Health;

/// <summary>
/// How Renewal reads the health detail from HealthScore (<c>Renewal:HealthScore:*</c>). Polly alone retries on this path
/// (MassTransit is not involved), within one overall timeout; the circuit breaker stops asking a HealthScore that keeps
/// failing, so the renewal answer comes at once without the detail.
/// </summary>
public sealed class HealthScoreClientOptions
{
    public const string Section = "Renewal:HealthScore";

    [Required]
    public Uri BaseAddress { get; set; } = new("http://127.0.0.1:5102");

    /// <summary>A key with the <c>read</c> scope; when empty, the first configured <c>ApiKeys</c> key with <c>read</c>.</summary>
    public string? ApiKey { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Bound on the whole read, retries included: the renewal answer never waits longer for the detail.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:02:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(3);

    [Range(0, 10)]
    public int Retries { get; set; } = 2;

    /// <summary>How long the circuit stays open (no calls) after HealthScore failed half of at least five calls in 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}

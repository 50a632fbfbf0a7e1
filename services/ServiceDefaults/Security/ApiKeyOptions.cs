using System.ComponentModel.DataAnnotations;

namespace CustomerSuccess.ServiceDefaults.Security;

/// <summary>
/// API keys from configuration (<c>ApiKeys:Keys:N:Name|Key|Scopes</c>). Read through
/// <c>IOptionsMonitor</c>, so a key added or removed in a reloaded configuration source takes effect without a restart.
/// </summary>
public sealed class ApiKeyOptions
{
    public const string Section = "ApiKeys";

    public List<ApiKey> Keys { get; set; } = [];

    /// <summary>Requests per second each key may make on average (token bucket), before <c>429</c>.</summary>
    [Range(1, 1_000_000)]
    public int PermitsPerSecond { get; set; } = 200;

    /// <summary>Requests a key may make in a burst above the average rate.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 400;
}

/// <summary>One API key: who holds it, the secret, and what it may do.</summary>
public sealed class ApiKey
{
    [Required]
    public string Name { get; set; } = "";

    [Required, MinLength(16)]
    public string Key { get; set; } = "";

    /// <summary>Any of <c>ingest</c>, <c>read</c>, <c>admin</c>.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>Overrides <see cref="ApiKeyOptions.PermitsPerSecond"/> for this key.</summary>
    public int? PermitsPerSecond { get; set; }
}

/// <summary>The scopes an API key can carry.</summary>
public static class Scopes
{
    public const string ClaimType = "scope";

    /// <summary>Post events only: what a product backend holds.</summary>
    public const string Ingest = "ingest";

    /// <summary>Queries: what a CRM integration holds.</summary>
    public const string Read = "read";

    /// <summary>Models, pins, rebuilds, dead letters.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlySet<string> All = new HashSet<string>([Ingest, Read, Admin], StringComparer.Ordinal);
}

namespace CustomerSuccess.ServiceDefaults.Security;

/// <summary>
/// API keys from configuration (<c>ApiKeys:Keys:N:Name|Key|Scopes</c>), checked by <see cref="ApiKeyOptionsValidator"/>. Read through
/// <c>IOptionsMonitor</c>, so a key added or removed in a reloaded configuration source takes effect without a restart.
/// </summary>
public sealed class ApiKeyOptions
{
    public const string Section = "ApiKeys";

    public List<ApiKey> Keys { get; set; } = [];

    /// <summary>Requests per second each key may make on average (token bucket), before <c>429</c>; 1 to 1,000,000.</summary>
    public int PermitsPerSecond { get; set; } = 200;

    /// <summary>Requests a key may make in a burst above the average rate; 1 to 1,000,000.</summary>
    public int Burst { get; set; } = 400;
}

/// <summary>
/// One API key: who holds it, the secret, and what it may do. The rules are checked at start-up by
/// <see cref="ApiKeyOptionsValidator"/> (data annotations on list items are not).
/// </summary>
public sealed class ApiKey
{
    /// <summary>Who holds the key (unique; it names the key's rate-limit bucket and appears in logs).</summary>
    public string Name { get; set; } = "";

    /// <summary>The secret: at least <see cref="ApiKeyOptionsValidator.MinimumKeyLength"/> characters, unique.</summary>
    public string Key { get; set; } = "";

    /// <summary>At least one of <c>ingest</c>, <c>read</c>, <c>admin</c>.</summary>
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

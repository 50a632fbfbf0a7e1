namespace CustomerSuccess.IntegrationTests.Infrastructure;

/// <summary>
/// A platform of its own for the bad-input barrage, so its thousands of requests neither wait behind nor delay
/// the shared fixture's backlog, with two more keys: a rate-limited ingest key (so the barrage meets 429s and
/// honours Retry-After) and a key that holds every scope except <c>ingest</c>.
/// </summary>
public sealed class BarragePlatform : Platform
{
    public const string LimitedIngestKey = "test-key-barrage-ingest-limited-0123456789";
    public const string NoIngestScopeKey = "test-key-read-admin-no-ingest-0123456789";

    /// <summary>Requests per second allowed to <see cref="LimitedIngestKey"/>.</summary>
    public const int LimitedPermitsPerSecond = 10;

    protected override IDictionary<string, string> Settings(string service)
    {
        var settings = base.Settings(service);
        settings["ApiKeys:Keys:4:Name"] = "barrage-limited";
        settings["ApiKeys:Keys:4:Key"] = LimitedIngestKey;
        settings["ApiKeys:Keys:4:Scopes:0"] = "ingest";
        settings["ApiKeys:Keys:4:PermitsPerSecond"] = LimitedPermitsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["ApiKeys:Keys:5:Name"] = "operator";
        settings["ApiKeys:Keys:5:Key"] = NoIngestScopeKey;
        settings["ApiKeys:Keys:5:Scopes:0"] = "read";
        settings["ApiKeys:Keys:5:Scopes:1"] = "admin";
        return settings;
    }
}

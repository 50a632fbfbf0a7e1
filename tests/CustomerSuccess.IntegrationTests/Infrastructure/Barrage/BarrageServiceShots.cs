using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CustomerSuccess.IntegrationTests.Infrastructure;

/// <summary>
/// The barrage's requests to the services behind Ingestion: bad tier pins and wrong-scope pins and unpins to
/// Lifecycle, bad list and metrics queries to Lifecycle and Renewal, bad pull-feed queries and webhook registrations to
/// the CRM feed Renewal hosts. Every one is refused; none may pin a tier or register a webhook.
/// </summary>
internal sealed partial class Barrage
{
    /// <summary>Every webhook url the barrage sends starts with this, so "none registered" is "no url of this run".</summary>
    public string WebhookUrlPrefix => $"https://crm.example.com/{run}/";

    /// <summary>The customers the barrage's events are about: the ones whose tier a refused pin must leave alone.</summary>
    public IEnumerable<string> CustomerIds => Enumerable.Range(0, Customers).Select(CustomerId);

    private void AddServiceShots(List<Shot> shots)
    {
        void Add(int count, Func<Shot> make)
        {
            for (var i = 0; i < count; i++)
            {
                shots.Add(make());
            }
        }

        Add(60, BadTierPin);
        Add(20, ReadKeyTierPin);
        Add(15, ReadKeyTierUnpin);
        Add(40, BadLifecycleQuery);
        Add(20, BadLifecycleMetrics);
        Add(40, BadRenewalQuery);
        Add(25, BadPortfolioMetrics);
        Add(35, BadFeedQuery);
        Add(35, BadWebhook);
        Add(15, ReadKeyWebhook);
    }

    private string CustomerId(int n) => $"{run}-c{n:00}";

    private string TierPath() => $"/v1/customers/{Uri.EscapeDataString(CustomerId(random.Next(Customers)))}/tier";

    private Shot BadTierPin()
    {
        string[] bodies =
        [
            "{}",
            """{"reason":"barrage: no tier"}""",
            """{"tier":"platinum","reason":"barrage: unknown tier"}""",
            """{"tier":"","reason":"barrage: empty tier"}""",
            """{"tier":7,"reason":"barrage: tier a number"}""",
            """{"tier":"1","reason":"barrage: tier an enum number"}""",
            """{"tier":["key_account"],"reason":"barrage: tier an array"}""",
            """{"tier":"key_account"}""",
            """{"tier":"high_potential","reason":"   "}""",
            """{"tier":"high_potential","reason":null}""",
            """{"tier":"key_account","reason":42}""",
            $$"""{"tier":"key_account","reason":"{{new string('r', 501 + random.Next(2000))}}"}""",
            "tier=key_account&reason=barrage",
            "{\"tier\":\"key_account\",\"reason\":\"barrage: truncated",
            "",
            "[]",
            "null",
            "\"key_account\"",
        ];
        return ServiceShot("svc.tier-pin-bad", "lifecycle", HttpMethod.Put, TierPath(), Platform.AdminKey, bodies[random.Next(bodies.Length)], HttpStatusCode.BadRequest);
    }

    private Shot ReadKeyTierPin() =>
        ServiceShot("svc.tier-pin-read-key", "lifecycle", HttpMethod.Put, TierPath(), Platform.ReadKey,
            $$"""{"tier":"{{Pick("key_account", "high_potential", "standard")}}","reason":"barrage: read key may not pin"}""", HttpStatusCode.Forbidden);

    private Shot ReadKeyTierUnpin() =>
        ServiceShot("svc.tier-unpin-read-key", "lifecycle", HttpMethod.Delete, TierPath() + Pick("", "?reason=barrage"), Platform.ReadKey, "", HttpStatusCode.Forbidden);

    private Shot BadLifecycleQuery()
    {
        var query = random.Next(5) switch
        {
            0 => "stage=" + Pick("sleeping", "onboarding,adoption", "0", "Onboarding!", "%00"),
            1 => "tier=" + Pick("gold", "2", "key account", "standard;drop"),
            2 => "overdue=" + Pick("yes", "1", "maybe", "truee"),
            3 => "limit=" + Pick("0", "-1", "abc", "100000", "1.5", "9999999999"),
            _ => "after=" + Pick("!!!", "====", "%%%", "a b"),
        };
        return ServiceShot("svc.lifecycle-query", "lifecycle", HttpMethod.Get, "/v1/lifecycle?" + Escaped(query), Platform.ReadKey, "", HttpStatusCode.BadRequest);
    }

    private Shot BadLifecycleMetrics()
    {
        var query = random.Next(4) switch
        {
            0 => "from=" + Pick("yesterday", "2026-13-01", "2026-02-30", "not-a-date"),
            1 => "to=" + Pick("tomorrow", "2026-11-31T25:00:00Z", "x"),
            2 => "from=2026-11-20&to=2026-11-01",
            _ => "from=2026-11-20T00:00:00Z&to=2026-11-20T00:00:00Z",
        };
        return ServiceShot("svc.lifecycle-metrics", "lifecycle", HttpMethod.Get, "/v1/lifecycle/metrics?" + Escaped(query), Platform.ReadKey, "", HttpStatusCode.BadRequest);
    }

    private Shot BadRenewalQuery()
    {
        var query = random.Next(5) switch
        {
            0 => "dueWithinDays=" + Pick("-1", "abc", "1e3", "3651", "99999999999", "+5", "1.5"),
            1 => "risk=" + Pick("severe", "HIGH!", "2", "low,high"),
            2 => "tier=" + Pick("gold", "keyaccount", "3", "standard,key_account"),
            3 => "limit=" + Pick("0", "-1", "abc", "100000", "1.5"),
            _ => "after=" + Pick("!!!", "%%%", "not a cursor"),
        };
        return ServiceShot("svc.renewals-query", "renewal", HttpMethod.Get, "/v1/renewals?" + Escaped(query), Platform.ReadKey, "", HttpStatusCode.BadRequest);
    }

    private Shot BadPortfolioMetrics()
    {
        var query = random.Next(6) switch
        {
            0 => "to=2026-11-01",
            1 => "from=2026-10-01",
            2 => "from=" + Pick("2026-02-30", "yesterday", "2026-1-5") + "&to=2026-11-01",
            3 => "from=2026-10-01&to=" + Pick("2026-13-01", "later", "20261101"),
            4 => "from=2026-11-01&to=2026-11-01",
            _ => "from=2026-11-01&to=2026-10-01",
        };
        return ServiceShot("svc.portfolio-metrics", "renewal", HttpMethod.Get, "/v1/portfolio/metrics?" + Escaped(query), Platform.ReadKey, "", HttpStatusCode.BadRequest);
    }

    private Shot BadFeedQuery()
    {
        var query = random.Next(3) switch
        {
            0 => "after=" + Pick("!!!", "not-a-cursor", "-1", "%%%"),
            1 => "limit=" + Pick("0", "-5", "100000", "abc"),
            _ => "types=" + Pick("customersuccess.unknown.v1", "risk.changed", "customersuccess.risk.changed.v1,bogus", "CUSTOMERSUCCESS.RISK.CHANGED.V1"),
        };
        return ServiceShot("svc.feed-query", "renewal", HttpMethod.Get, "/v1/feed?" + Escaped(query), Platform.ReadKey, "", HttpStatusCode.BadRequest);
    }

    private Shot BadWebhook()
    {
        var url = WebhookUrlPrefix + "bad";
        var body = random.Next(10) switch
        {
            0 => "{}",
            1 => new JsonObject { ["url"] = Pick("ftp://crm.example.com/" + run, "not a url", "/relative/" + run, "mailto:crm@example.com", "") }.ToJsonString(),
            2 => new JsonObject { ["url"] = $"https://user:secret@crm.example.com/{run}/creds" }.ToJsonString(),
            3 => new JsonObject { ["url"] = WebhookUrlPrefix + new string('u', 2100) }.ToJsonString(),
            4 => new JsonObject { ["url"] = url, ["types"] = new JsonArray(Pick("customersuccess.unknown.v1", "risk.changed", "")) }.ToJsonString(),
            5 => new JsonObject { ["url"] = url, ["description"] = new string('d', 501 + random.Next(1000)) }.ToJsonString(),
            6 => new JsonObject { ["url"] = 42 }.ToJsonString(),
            7 => new JsonObject { ["url"] = url, ["types"] = "customersuccess.risk.changed.v1" }.ToJsonString(),
            8 => "{\"url\":\"" + url + "\"",
            _ => Pick("", "[]", "null", "url=" + url),
        };
        return ServiceShot("svc.webhook-bad", "renewal", HttpMethod.Post, "/v1/webhooks", Platform.AdminKey, body, HttpStatusCode.BadRequest);
    }

    private Shot ReadKeyWebhook() =>
        ServiceShot("svc.webhook-read-key", "renewal", HttpMethod.Post, "/v1/webhooks", Platform.ReadKey,
            new JsonObject { ["url"] = WebhookUrlPrefix + "read-key", ["types"] = new JsonArray() }.ToJsonString(), HttpStatusCode.Forbidden);

    private Shot ServiceShot(string category, string service, HttpMethod method, string path, string key, string body, HttpStatusCode status) =>
        new(category, ++_number, path, Coin() ? Credential.Bearer : Credential.ApiKeyHeader, key, Encoding.UTF8.GetBytes(body), "application/json", status)
        {
            Service = service,
            Method = method,
        };

    /// <summary>A query string with every value escaped, so what is sent is exactly the bad value meant.</summary>
    private static string Escaped(string query) =>
        string.Join('&', query.Split('&').Select(pair => pair.Split('=', 2) is [var name, var value] ? $"{name}={Uri.EscapeDataString(value)}" : pair));
}

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CustomerSuccess.IntegrationTests.Infrastructure;

namespace CustomerSuccess.IntegrationTests.Operations;

/// <summary>
/// <c>/metrics</c> of every service, scraped without a key as Prometheus does. The services of all fixtures share this
/// process and its meters, so each assertion is on a counter moving by at least what the test itself caused.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class MetricsTests(Platform platform)
{
    [Theory]
    [MemberData(nameof(HostingTests.Services), MemberType = typeof(HostingTests))]
    public async Task Every_service_answers_a_prometheus_scrape_without_a_key(string service)
    {
        using var client = ScrapeClient(service);
        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingestion_counts_accepted_duplicate_and_rejected_envelopes_per_type_and_key()
    {
        using var ingest = Platform.Client(platform.Ingestion, Platform.IngestKey);
        using var scrape = Platform.Client(platform.Ingestion, apiKey: null);
        var accepted = Series("customersuccess_ingestion_events_accepted_total", ("customersuccess_event_type", "usage.recorded"), ("customersuccess_api_key", "product-backend"));
        var duplicates = Series("customersuccess_ingestion_events_duplicates_total", ("customersuccess_event_type", "usage.recorded"), ("customersuccess_api_key", "product-backend"));
        var rejected = Series("customersuccess_ingestion_events_rejected_total", ("customersuccess_event_type", "usage.recorded"), ("customersuccess_api_key", "product-backend"));
        var before = await ScrapeAsync(scrape);

        var customerId = Envelopes.NewCustomerId("metrics");
        var usage = Envelopes.Usage(customerId, $"{customerId}-1");
        (await ingest.PostAsJsonAsync("/v1/events", new[] { usage, Envelopes.Usage(customerId, $"{customerId}-2") })).EnsureSuccessStatusCode();
        (await ingest.PostAsJsonAsync("/v1/events", usage)).EnsureSuccessStatusCode();
        var invalid = new Dictionary<string, object>(Envelopes.Usage(customerId, $"{customerId}-3")) { ["occurredAt"] = "yesterday" };
        Assert.Equal(HttpStatusCode.BadRequest, (await ingest.PostAsJsonAsync("/v1/events", invalid)).StatusCode);

        // The exporter may answer from its short response cache, hence a wait rather than one scrape.
        await Eventually.ReachesAsync(() => ScrapeAsync(scrape),
            after => Sum(after, accepted) >= Sum(before, accepted) + 2
                     && Sum(after, duplicates) >= Sum(before, duplicates) + 1
                     && Sum(after, rejected) >= Sum(before, rejected) + 1,
            "two accepted, one duplicate and one rejected usage.recorded of product-backend");
    }

    [Fact]
    public async Task Consumers_scoring_and_emitted_changes_are_measured_after_events_are_posted()
    {
        using var healthScrape = Platform.Client(platform.HealthScore, apiKey: null);
        using var lifecycleScrape = Platform.Client(platform.Lifecycle, apiKey: null);
        using var renewalScrape = Platform.Client(platform.Renewal, apiKey: null);
        var scoring = Series("customersuccess_scoring_duration_seconds_count");
        var stageChanges = Series("customersuccess_changes_emitted_total", ("customersuccess_change_kind", "stage"));
        var riskChanges = Series("customersuccess_changes_emitted_total", ("customersuccess_change_kind", "risk"));
        var healthBefore = await ScrapeAsync(healthScrape);
        var lifecycleBefore = await ScrapeAsync(lifecycleScrape);
        var renewalBefore = await ScrapeAsync(renewalScrape);

        var customerId = Envelopes.NewCustomerId("metrics");
        using var ingest = Platform.Client(platform.Ingestion, Platform.IngestKey);
        (await ingest.PostAsJsonAsync("/v1/events", new[]
        {
            Envelopes.ContractSigned(customerId, $"{customerId}-contract"),
            Envelopes.Usage(customerId, $"{customerId}-usage"),
        })).EnsureSuccessStatusCode();

        // The services' own consumer metrics, not MassTransit's: its meter is process-wide and made once, by the first bus
        // of the process, so in a test process that hosts dozens of services it dies with the first host that stops.
        var factsProcessed = Series("customersuccess_messaging_process_duration_seconds_count", ("messaging_destination_name", "healthscore-health-facts"));
        await Eventually.ReachesAsync(() => ScrapeAsync(healthScrape), text => Sum(text, factsProcessed) > Sum(healthBefore, factsProcessed),
            "HealthScore to time a page on its facts queue");
        await Eventually.ReachesAsync(() => ScrapeAsync(healthScrape), text => Sum(text, scoring) > Sum(healthBefore, scoring),
            "HealthScore to score the customer");
        await Eventually.ReachesAsync(() => ScrapeAsync(lifecycleScrape), text => Sum(text, stageChanges) > Sum(lifecycleBefore, stageChanges),
            "Lifecycle to count a stage change");
        await Eventually.ReachesAsync(() => ScrapeAsync(renewalScrape), text => Sum(text, riskChanges) > Sum(renewalBefore, riskChanges),
            "Renewal to count a risk change");
    }

    [Fact]
    public async Task Relay_lag_and_dead_letters_are_gauged_per_relay_and_per_error_queue()
    {
        using var ingestion = Platform.Client(platform.Ingestion, apiKey: null);
        using var healthScore = Platform.Client(platform.HealthScore, apiKey: null);
        await Eventually.ReachesAsync(() => ScrapeAsync(ingestion),
            text => text.Split('\n').Any(Series("customersuccess_relay_lag", ("customersuccess_relay", "broker-relay:All")))
                    && text.Split('\n').Any(Series("customersuccess_relay_lag_age_seconds", ("customersuccess_relay", "broker-relay:All"))),
            "the relay lag gauges on Ingestion");
        await Eventually.ReachesAsync(() => ScrapeAsync(healthScore),
            text => text.Split('\n').Any(Series("customersuccess_dead_letters", ("messaging_destination_name", "healthscore-health-facts"))),
            "the dead-letter gauge of HealthScore's facts queue");
    }

    private HttpClient ScrapeClient(string service) => service switch
    {
        "ingestion" => Platform.Client(platform.Ingestion, apiKey: null),
        "healthscore" => Platform.Client(platform.HealthScore, apiKey: null),
        "lifecycle" => Platform.Client(platform.Lifecycle, apiKey: null),
        _ => Platform.Client(platform.Renewal, apiKey: null),
    };

    internal static async Task<string> ScrapeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>A sample line's matcher: the metric name and the labels it must carry (others may follow).</summary>
    internal static Func<string, bool> Series(string name, params (string Label, string Value)[] labels) => line =>
        (line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
        && labels.All(l => line.Contains($"{l.Label}=\"{l.Value}\"", StringComparison.Ordinal));

    internal static double Sum(string exposition, Func<string, bool> series) =>
        exposition.Split('\n')
            .Where(series)
            .Select(line => SampleValue().Match(line))
            .Where(match => match.Success)
            .Sum(match => double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"[}\s]\s*([-+0-9.eE]+|NaN)(\s+-?\d+)?\s*$")]
    private static partial Regex SampleValue();
}

using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.CrmFeed.Deliveries;
using CustomerSuccess.CrmFeed.Envelopes;
using CustomerSuccess.IntegrationTests.Infrastructure;

namespace CustomerSuccess.IntegrationTests.CrmFeed;

/// <summary>The CRM feed against tools outside .NET: a real JSON Schema validator, the AsyncAPI parser, the Standard Webhooks reference library, and the Node.js sample CRM.</summary>
public sealed class CrmSampleTests(CrmFeedHost host) : IClassFixture<CrmFeedHost>
{
    [Fact]
    public async Task Every_event_the_feed_emits_validates_against_its_schema_and_the_asyncapi_document_parses()
    {
        var customerId = Envelopes.NewCustomerId("crm-schema");
        var directory = Directory.CreateTempSubdirectory("crm-feed-events-");
        try
        {
            var emitted = Samples(customerId).ToList();
            foreach (var envelope in emitted.Where(e => e.Type != CrmEventTypes.WebhookTest))
            {
                await host.Publisher.PublishAsync(envelope, CancellationToken.None);
            }

            // What the pull feed serves (the bytes as received), plus every sample as the writer emits it.
            using var reader = host.Client(CrmFeedHost.ReadKey);
            var feed = await Eventually.ReachesAsync(() => CrmFeedClient.FeedAsync(reader, $"customerId={customerId}"),
                f => f.GetProperty("events").GetArrayLength() == emitted.Count(e => e.Subject == customerId), "the samples in the feed");
            var index = 0;
            foreach (var served in feed.GetProperty("events").EnumerateArray())
            {
                await File.WriteAllTextAsync(Path.Combine(directory.FullName, $"feed-{index++}.json"), served.GetRawText());
            }

            foreach (var envelope in emitted)
            {
                await File.WriteAllBytesAsync(Path.Combine(directory.FullName, $"{envelope.Type}-{index++}.json"), envelope.Body.ToArray());
            }

            var (exitCode, output, error) = await NodeSample.RunAsync("validate.js", [directory.FullName]);

            Assert.True(exitCode == 0, $"validate.js failed: {output} {error}");
            Assert.Contains($"valid: {index} events against {CrmEventTypes.All.Count} schemas", output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_standard_webhooks_reference_library_accepts_both_secrets_during_a_rotation_and_refuses_tampering_staleness_and_a_wrong_secret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var admin = host.Client();
        var (webhookId, oldSecret) = await CrmFeedClient.RegisterAsync(admin, receiver.Url);
        var newSecret = (await (await admin.PostAsync($"/v1/webhooks/{webhookId}/rotate-secret", null)).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("secret").GetString()!;
        var eventId = (await (await admin.PostAsync($"/v1/webhooks/{webhookId}/test", null)).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("eventId").GetString()!;
        var delivery = (await Eventually.ReachesAsync(() => Task.FromResult(receiver.For(eventId)), r => r.Count > 0, "the test event")).Single();
        var body = Encoding.UTF8.GetString(delivery.Body);
        var stale = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds();

        object Case(string name, string secret, string? signature = null, string? timestamp = null, string? text = null) => new
        {
            name, secret, id = delivery.Id, timestamp = timestamp ?? delivery.Timestamp, signature = signature ?? delivery.Signature, body = text ?? body,
        };
        var cases = new
        {
            cases = new[]
            {
                Case("old secret", oldSecret),
                Case("new secret", newSecret),
                Case("tampered body", newSecret, text: body.Replace("webhook", "w3bhook", StringComparison.Ordinal)),
                Case("wrong secret", WebhookSignature.NewSecret()),
                Case("stale timestamp", newSecret, WebhookSignature.Sign(newSecret, delivery.Id!, stale, delivery.Body), stale.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            },
        };

        var (exitCode, output, error) = await NodeSample.RunAsync("verify.js", [], JsonSerializer.Serialize(cases));

        Assert.True(exitCode == 0, $"verify.js failed: {output} {error}");
        var verdicts = JsonSerializer.Deserialize<Dictionary<string, bool>>(output)!;
        Assert.Equal(
            new Dictionary<string, bool> { ["old secret"] = true, ["new secret"] = true, ["tampered body"] = false, ["wrong secret"] = false, ["stale timestamp"] = false },
            verdicts);
    }

    [Fact]
    public async Task The_node_sample_crm_reads_the_exchange_and_verified_webhooks_once_per_event_and_opens_a_task()
    {
        var port = FreePort();
        using var admin = host.Client();
        var (webhookId, secret) = await CrmFeedClient.RegisterAsync(admin, new Uri($"http://127.0.0.1:{port}/webhooks"), CrmEventTypes.RiskChanged);
        using var crm = await NodeSample.StartAsync("crm.js",
        [
            "--amqp", host.RabbitMqUri.ToString(), "--queue", $"crm-sample-{Guid.NewGuid():N}", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--secret", secret, "--timeout", "120",
        ]);
        await Eventually.ReachesAsync(() => Task.FromResult(crm.Lines), lines => lines.Any(l => l.StartsWith("webhook receiver listening", StringComparison.Ordinal)) && lines.Any(l => l.StartsWith("bound queue", StringComparison.Ordinal)),
            "the sample to bind its queue and listen");
        var customerId = Envelopes.NewCustomerId("crm-sample");
        var envelope = CrmFeedChannelTests.RiskEnvelope(customerId);

        await host.Publisher.PublishAsync(envelope, CancellationToken.None);

        var lines = await Eventually.ReachesAsync(() => Task.FromResult(crm.Lines),
            lines => lines.Count(l => l.Contains(envelope.Id, StringComparison.Ordinal)) >= 2, "the event through both channels");
        var applied = Assert.Single(lines, l => l.Contains(envelope.Id, StringComparison.Ordinal) && !l.StartsWith("duplicate", StringComparison.Ordinal));
        Assert.Contains($"open a task for jane.doe@example.com: {customerId} risk high — Champion Dana Lee left on 2026-11-28.", applied, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith($"duplicate {envelope.Id} via ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("refused webhook", StringComparison.Ordinal));
        await CrmFeedClient.DeliveryReachesAsync(admin, webhookId, envelope.Id, "delivered");
    }

    [Fact]
    public async Task With_once_the_sample_exits_cleanly_after_its_first_event()
    {
        using var crm = await NodeSample.StartAsync("crm.js",
            ["--amqp", host.RabbitMqUri.ToString(), "--queue", $"crm-once-{Guid.NewGuid():N}", "--port", "0", "--once", "--timeout", "60"]);
        await Eventually.ReachesAsync(() => Task.FromResult(crm.Lines), lines => lines.Any(l => l.StartsWith("webhook receiver listening", StringComparison.Ordinal)),
            "the sample to bind its queue and listen");
        var envelope = CrmFeedChannelTests.RiskEnvelope(Envelopes.NewCustomerId("crm-once"));

        await host.Publisher.PublishAsync(envelope, CancellationToken.None);

        var exitCode = await Eventually.ReachesAsync(() => Task.FromResult(crm.ExitCode), code => code is not null, "the sample to exit");
        Assert.True(exitCode == 0, string.Join('\n', crm.Lines));
        Assert.Contains(crm.Lines, l => l.StartsWith($"amqp {envelope.Id} customersuccess.risk.changed.v1: open a task for jane.doe@example.com", StringComparison.Ordinal));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static IEnumerable<CloudEventEnvelope> Samples(string customerId)
    {
        var at = DateTimeOffset.UtcNow;
        yield return CrmFeedChannelTests.RiskEnvelope(customerId);
        yield return CrmEvents.RiskChanged(new CustomerRiskChanged { EventId = Guid.NewGuid().ToString("N"), CustomerId = customerId, Level = RiskLevel.Low, ChangedAt = at }, 2, null, null, null);
        yield return CrmEvents.HealthChanged(new CustomerHealthChanged
        {
            EventId = Guid.NewGuid().ToString("N"), CustomerId = customerId, Score = 41.5m, Outcome = 35m, Experience = 62.25m, Band = HealthBand.Red,
            Quadrant = Quadrant.Q2, Trend = HealthTrend.Declining, ModelVersion = 3, EvaluatedAt = at, TopReasons = ["Usage fell 40 % in 30 days"],
        }, 7);
        yield return CrmEvents.StageChanged(new CustomerStageChanged
        {
            EventId = Guid.NewGuid().ToString("N"), CustomerId = customerId, PreviousStage = LifecycleStage.Mature, Stage = LifecycleStage.Renewal, ChangedAt = at,
        }, 12);
        yield return CrmEvents.TierChanged(new CustomerTierChanged
        {
            EventId = Guid.NewGuid().ToString("N"), CustomerId = customerId, Tier = CustomerTier.HighPotential, Pinned = false, ChangedAt = at, Reason = "ARR above the threshold",
        }, 3);
        yield return CrmEvents.RenewalWindowOpened(new RenewalWindowOpened
        {
            EventId = Guid.NewGuid().ToString("N"), CustomerId = customerId, ContractId = $"{customerId}-2026", EndsOn = DateOnly.FromDateTime(at.UtcDateTime).AddDays(90),
            OpenedOn = DateOnly.FromDateTime(at.UtcDateTime),
        }, 9, at);
        yield return CrmEvents.WebhookDisabled($"whd_{Guid.NewGuid():N}", customerId, "https://crm.example.com/hooks", "The receiver answered 410 Gone.", at.AddDays(-5), at);
        yield return CrmEvents.WebhookTest($"test_{Guid.NewGuid():N}", "wh_sample", at);
    }
}

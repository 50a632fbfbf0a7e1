using System.Text.Json;
using CustomerSuccess.CrmFeed.Webhooks;
using CustomerSuccess.IntegrationTests.Infrastructure;
using CustomerSuccess.IntegrationTests.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerSuccess.IntegrationTests.CrmFeed;

/// <summary>The feed with a delivery log kept for 2 s instead of 30 days, and its gauges read five times a second.</summary>
public sealed class ShortRetentionCrmFeedHost : CrmFeedHost
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["CrmFeed:DeliveryLogRetention"] = "00:00:02";
        settings["CrmFeed:BacklogReadInterval"] = "00:00:00.200";
        return settings;
    }
}

public sealed class WebhookOperationsTests(ShortRetentionCrmFeedHost host) : IClassFixture<ShortRetentionCrmFeedHost>
{
    [Fact]
    public async Task Attempts_outcomes_and_the_waiting_deliveries_are_on_metrics()
    {
        await using var flaky = await WebhookReceiver.StartAsync(500);
        await using var later = await WebhookReceiver.StartAsync();
        later.DefaultStatus = 503;
        later.RetryAfterSeconds = 3600;
        using var admin = host.Client();
        using var scrape = host.Client(apiKey: null);
        var delivered = MetricsTests.Series("customersuccess_webhook_attempts_total", ("customersuccess_webhook_outcome", "delivered"));
        var retried = MetricsTests.Series("customersuccess_webhook_attempts_total", ("customersuccess_webhook_outcome", "retry"));
        var durations = MetricsTests.Series("customersuccess_webhook_attempt_duration_seconds_count");
        var pending = MetricsTests.Series("customersuccess_webhook_deliveries_pending");
        var enabled = MetricsTests.Series("customersuccess_webhook_endpoints", ("customersuccess_webhook_endpoint_state", "enabled"));
        var (flakyId, _) = await CrmFeedClient.RegisterAsync(admin, flaky.Url);
        var (laterId, _) = await CrmFeedClient.RegisterAsync(admin, later.Url);
        var envelope = CrmFeedChannelTests.RiskEnvelope(Envelopes.NewCustomerId("crm-metrics"));

        await host.Publisher.PublishAsync(envelope, CancellationToken.None);

        await CrmFeedClient.DeliveryReachesAsync(admin, flakyId, envelope.Id, "delivered");
        await Eventually.ReachesAsync(async () => (await CrmFeedClient.DeliveriesAsync(admin, laterId, "pending")).EnumerateArray().ToList(),
            deliveries => deliveries.Any(d => d.GetProperty("eventId").GetString() == envelope.Id && d.GetProperty("attempts").GetInt32() == 1),
            "the 503 to be recorded with its next attempt an hour away");
        await Eventually.ReachesAsync(() => MetricsTests.ScrapeAsync(scrape),
            text => MetricsTests.Sum(text, delivered) >= 1 && MetricsTests.Sum(text, retried) >= 2 && MetricsTests.Sum(text, durations) >= 3
                    && MetricsTests.Sum(text, pending) >= 1 && MetricsTests.Sum(text, enabled) >= 2,
            "a delivered and two retried attempts, their durations, a pending delivery and two enabled endpoints");
    }

    [Fact]
    public async Task The_delivery_log_forgets_finished_deliveries_and_old_attempts_but_never_a_pending_delivery()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var later = await WebhookReceiver.StartAsync();
        later.DefaultStatus = 503;
        later.RetryAfterSeconds = 3600;
        using var admin = host.Client();
        var (deliveredId, _) = await CrmFeedClient.RegisterAsync(admin, receiver.Url);
        var (pendingId, _) = await CrmFeedClient.RegisterAsync(admin, later.Url);
        var envelope = CrmFeedChannelTests.RiskEnvelope(Envelopes.NewCustomerId("crm-retention"));
        await host.Publisher.PublishAsync(envelope, CancellationToken.None);
        await CrmFeedClient.DeliveryReachesAsync(admin, deliveredId, envelope.Id, "delivered");
        await CrmFeedClient.DeliveryReachesAsync(admin, pendingId, envelope.Id, "pending");
        Assert.Single((await CrmFeedClient.DeliveriesAsync(admin, pendingId)).EnumerateArray().Single().GetProperty("attemptLog").EnumerateArray());

        // Retention is 2 s: prune until the finished delivery has aged out of it.
        var retention = host.Services.GetRequiredService<DeliveryLogRetention>();
        await Eventually.ReachesAsync(async () =>
            {
                await retention.PruneAsync(CancellationToken.None);
                return (await CrmFeedClient.DeliveriesAsync(admin, deliveredId)).EnumerateArray().ToList();
            },
            deliveries => deliveries.Count == 0,
            "the delivered delivery to leave the log");

        var kept = (await CrmFeedClient.DeliveriesAsync(admin, pendingId)).EnumerateArray().Single();
        Assert.Equal(envelope.Id, kept.GetProperty("eventId").GetString());
        Assert.Equal("pending", kept.GetProperty("status").GetString());
        Assert.Equal(1, kept.GetProperty("attempts").GetInt32());
        Assert.Equal(503, kept.GetProperty("lastStatusCode").GetInt32());
        Assert.Equal(JsonValueKind.Array, kept.GetProperty("attemptLog").ValueKind);
        Assert.Empty(kept.GetProperty("attemptLog").EnumerateArray());
    }
}

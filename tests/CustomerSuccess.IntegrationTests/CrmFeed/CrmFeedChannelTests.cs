using System.Net;
using System.Net.Http.Json;
using System.Text;
using CustomerSuccess.CrmFeed.Broker;
using CustomerSuccess.CrmFeed.Deliveries;
using CustomerSuccess.CrmFeed.Envelopes;
using CustomerSuccess.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace CustomerSuccess.IntegrationTests.CrmFeed;

public sealed class CrmFeedChannelTests(CrmFeedHost host) : IClassFixture<CrmFeedHost>
{
    [Fact]
    public async Task A_risk_change_reaches_the_exchange_a_webhook_and_the_pull_feed_as_the_same_bytes_with_one_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var admin = host.Client();
        var (webhookId, secret) = await CrmFeedClient.RegisterAsync(admin, receiver.Url, CrmEventTypes.RiskChanged);
        var customerId = Envelopes.NewCustomerId("crm");
        var envelope = RiskEnvelope(customerId);

        var factory = new ConnectionFactory { Uri = host.RabbitMqUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(CrmFeedBrokerOptions.Exchange, ExchangeType.Topic, durable: true);
        var queue = (await channel.QueueDeclareAsync(exclusive: true)).QueueName;
        await channel.QueueBindAsync(queue, CrmFeedBrokerOptions.Exchange, CrmEventTypes.RiskChanged);

        // A relay replaying its page publishes the same event again: one event everywhere all the same.
        await host.Publisher.PublishAsync(envelope, CancellationToken.None);
        await host.Publisher.PublishAsync(envelope, CancellationToken.None);

        var message = await Eventually.ReachesAsync(() => channel.BasicGetAsync(queue, autoAck: true), m => m is not null, "the event on a queue bound to the exchange");
        Assert.Equal(envelope.Body.ToArray(), message!.Body.ToArray());
        Assert.Equal(CrmEventTypes.RiskChanged, message.RoutingKey);
        Assert.Equal(envelope.Id, message.BasicProperties.MessageId);
        Assert.Equal("application/cloudevents+json", message.BasicProperties.ContentType);
        Assert.Equal(CrmEventTypes.RiskChanged, message.BasicProperties.Type);
        Assert.Equal(DeliveryModes.Persistent, message.BasicProperties.DeliveryMode);
        Assert.Equal(envelope.Time.ToUnixTimeSeconds(), message.BasicProperties.Timestamp.UnixTime);

        var webhook = (await Eventually.ReachesAsync(() => Task.FromResult(receiver.For(envelope.Id)), r => r.Count > 0, "the webhook")).Single();
        Assert.Equal(envelope.Body.ToArray(), webhook.Body);
        Assert.Equal("application/cloudevents+json", webhook.ContentType);
        Assert.True(WebhookSignature.Verify(secret, webhook.Id!, webhook.Timestamp!, webhook.Signature!, webhook.Body, DateTimeOffset.UtcNow));

        using var reader = host.Client(CrmFeedHost.ReadKey);
        var feed = await CrmFeedClient.FeedAsync(reader, $"customerId={customerId}");
        var stored = Assert.Single(feed.GetProperty("events").EnumerateArray());
        Assert.Equal(Encoding.UTF8.GetString(envelope.Body.Span), stored.GetRawText());

        var delivery = await CrmFeedClient.DeliveryReachesAsync(admin, webhookId, envelope.Id, "delivered");
        Assert.Equal(200, delivery.GetProperty("attemptLog")[0].GetProperty("statusCode").GetInt32());
        Assert.Single(receiver.For(envelope.Id));
    }

    [Fact]
    public async Task The_pull_feed_pages_in_a_stable_order_with_a_cursor_and_filters_by_type()
    {
        var customerId = Envelopes.NewCustomerId("crm-pull");
        var envelopes = Enumerable.Range(1, 3).Select(i => RiskEnvelope(customerId, sequence: i)).ToList();
        var stage = CrmEvents.StageChanged(new Contracts.Events.CustomerStageChanged
        {
            EventId = Guid.NewGuid().ToString("N"), CustomerId = customerId, Stage = Contracts.Events.LifecycleStage.Renewal, ChangedAt = DateTimeOffset.UtcNow,
        }, 4);
        foreach (var envelope in envelopes.Append(stage))
        {
            await host.Publisher.PublishAsync(envelope, CancellationToken.None);
        }

        using var reader = host.Client(CrmFeedHost.ReadKey);
        await Eventually.ReachesAsync(() => CrmFeedClient.FeedAsync(reader, $"customerId={customerId}"), f => f.GetProperty("events").GetArrayLength() == 4, "all four events in the feed");

        var first = await CrmFeedClient.FeedAsync(reader, $"customerId={customerId}&types={CrmEventTypes.RiskChanged}&limit=2");
        var second = await CrmFeedClient.FeedAsync(reader, $"customerId={customerId}&types={CrmEventTypes.RiskChanged}&limit=2&after={first.GetProperty("next").GetString()}");
        var caughtUp = await CrmFeedClient.FeedAsync(reader, $"customerId={customerId}&types={CrmEventTypes.RiskChanged}&after={second.GetProperty("next").GetString()}");

        var ids = first.GetProperty("events").EnumerateArray().Concat(second.GetProperty("events").EnumerateArray()).Select(e => e.GetProperty("id").GetString());
        Assert.Equal(envelopes.Select(e => e.Id), ids);
        Assert.Equal(0, caughtUp.GetProperty("events").GetArrayLength());
        Assert.Equal(second.GetProperty("next").GetString(), caughtUp.GetProperty("next").GetString());
    }

    [Fact]
    public async Task Concurrent_publishes_and_pages_as_a_relay_makes_them_are_all_confirmed_and_stored_once()
    {
        var customerId = Envelopes.NewCustomerId("crm-burst");
        var singles = Enumerable.Range(1, 100).Select(i => RiskEnvelope(customerId, sequence: i)).ToList();
        var page = Enumerable.Range(101, 50).Select(i => RiskEnvelope(customerId, sequence: i)).ToList();

        await Task.WhenAll(singles.Select(e => host.Publisher.PublishAsync(e, CancellationToken.None)).Append(host.Publisher.PublishAsync(page, CancellationToken.None)));

        using var reader = host.Client(CrmFeedHost.ReadKey);
        var feed = await Eventually.ReachesAsync(() => CrmFeedClient.FeedAsync(reader, $"customerId={customerId}&limit=1000"),
            f => f.GetProperty("events").GetArrayLength() >= 150, "all 150 events in the feed");
        var ids = feed.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Equal(singles.Concat(page).Select(e => e.Id).Order(), ids.Order());
    }

    [Fact]
    public async Task A_publish_the_broker_cannot_confirm_fails_within_the_timeout_with_an_ordinary_exception()
    {
        var options = Options.Create(new CrmFeedBrokerOptions { Uri = "amqp://guest:guest@127.0.0.1:1/", PublishTimeout = TimeSpan.FromSeconds(2) });
        await using var publisher = new CloudEventPublisher(options, NullLogger<CloudEventPublisher>.Instance);
        var started = DateTime.UtcNow;

        await Assert.ThrowsAsync<CloudEventPublishException>(() => publisher.PublishAsync(RiskEnvelope("crm-nobroker"), CancellationToken.None));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task The_feed_tables_are_part_of_the_hosts_store_schema_so_db_apply_and_the_production_check_cover_them()
    {
        var store = host.Services.GetRequiredService<Marten.IDocumentStore>();

        var migration = await store.Storage.Database.CreateMigrationAsync();

        Assert.Equal(Weasel.Core.SchemaPatchDifference.None, migration.Difference);
        await using var connection = new Npgsql.NpgsqlConnection(host.Servers.Postgres);
        await connection.OpenAsync();
        foreach (var table in new[] { "crm_feed_events", "crm_webhooks", "crm_webhook_deliveries", "crm_webhook_attempts" })
        {
            await using var exists = new Npgsql.NpgsqlCommand($"SELECT to_regclass('{host.Schema}.{table}') IS NOT NULL", connection);
            Assert.True((bool)(await exists.ExecuteScalarAsync())!, table);
        }
    }

    [Theory]
    [InlineData("after=not-a-cursor")]
    [InlineData("types=customersuccess.unknown.v1")]
    [InlineData("limit=0")]
    [InlineData("limit=100000")]
    public async Task Bad_feed_queries_are_problems(string query)
    {
        using var reader = host.Client(CrmFeedHost.ReadKey);

        var response = await reader.GetAsync($"/v1/feed?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Webhooks_need_the_admin_scope_and_never_show_a_secret_after_registration()
    {
        using var admin = host.Client();
        using var reader = host.Client(CrmFeedHost.ReadKey);
        var (webhookId, secret) = await CrmFeedClient.RegisterAsync(admin, new Uri("http://127.0.0.1:9/hooks"));

        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/v1/webhooks")).StatusCode);
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.True(Convert.FromBase64String(secret["whsec_".Length..]).Length >= 24);
        var list = await admin.GetStringAsync("/v1/webhooks");
        var one = await admin.GetStringAsync($"/v1/webhooks/{webhookId}");
        Assert.Contains(webhookId, list, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, one, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", list, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/webhooks/{webhookId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/webhooks/{webhookId}")).StatusCode);
    }

    [Theory]
    [InlineData("ftp://crm.example.com/hooks")]
    [InlineData("http://10.0.0.5/hooks")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("not a url")]
    public async Task Receiver_urls_outside_the_policy_are_refused(string url)
    {
        using var admin = host.Client();

        var response = await admin.PostAsJsonAsync("/v1/webhooks", new { url, types = Array.Empty<string>() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_types_in_a_filter_are_refused()
    {
        using var admin = host.Client();

        var response = await admin.PostAsJsonAsync("/v1/webhooks", new { url = "https://crm.example.com/hooks", types = new[] { "customersuccess.unknown.v1" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    internal static CloudEventEnvelope RiskEnvelope(string customerId, long sequence = 1) => CrmEvents.RiskChanged(
        new Contracts.Events.CustomerRiskChanged
        {
            EventId = Guid.NewGuid().ToString("N"),
            CustomerId = customerId,
            PreviousLevel = Contracts.Events.RiskLevel.Medium,
            Level = Contracts.Events.RiskLevel.High,
            Reasons = [new Contracts.Events.RiskReason("champion_left", "Champion Dana Lee left on 2026-11-28.", DateTimeOffset.UtcNow.AddDays(-2))],
            ContractId = $"{customerId}-2026",
            EndsOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60),
            DaysToRenewal = 60,
            Arr = 48000m,
            Currency = "EUR",
            ChangedAt = DateTimeOffset.UtcNow,
        },
        sequence, "jane.doe@example.com", Contracts.Events.CustomerTier.KeyAccount,
        new CrmHealth(41.5m, Contracts.Events.HealthBand.Red, Contracts.Events.Quadrant.Q2));
}

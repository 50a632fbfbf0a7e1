using System.Globalization;
using System.Text;
using System.Text.Json;
using CustomerSuccess.CrmFeed.Broker;
using CustomerSuccess.CrmFeed.Deliveries;
using CustomerSuccess.CrmFeed.Envelopes;
using CustomerSuccess.IntegrationTests.Infrastructure;
using CustomerSuccess.Renewal.Domain;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using static CustomerSuccess.IntegrationTests.Renewal.RenewalReads;

namespace CustomerSuccess.IntegrationTests.CrmFeed;

/// <summary>
/// The CRM feed fed by the real services: events posted to Ingestion become CloudEvents that the services' relays put
/// on the exchange, and that Renewal stores for the pull feed and signs for webhooks.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ServiceFeedTests(Platform platform)
{
    private static readonly DateTimeOffset s_now = DateTimeOffset.UtcNow;

    private static string Day(int fromToday) => DateOnly.FromDateTime(s_now.UtcDateTime).AddDays(fromToday).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_risk_change_from_posted_events_reaches_the_exchange_a_webhook_and_the_pull_feed_with_one_id_and_the_same_bytes()
    {
        await using var exchange = await ExchangeTap.BindAsync(platform.RabbitMqUri);
        await using var receiver = await WebhookReceiver.StartAsync();
        using var admin = Platform.Client(platform.Renewal);
        var (_, secret) = await CrmFeedClient.RegisterAsync(admin, receiver.Url, CrmEventTypes.RiskChanged);
        using var ingestion = Platform.Client(platform.Ingestion, Platform.IngestKey);
        var customer = Envelopes.NewCustomerId("crm-risk");

        // First what the risk data carries besides the risk: the owner, Lifecycle's tier and HealthScore's health.
        await ingestion.PostAsync(
            Envelope(customer, "customer.profiled", s_now.AddDays(-200), new { name = "Acme", owner = "jane.doe@example.com", keyAccount = true, handoverComplete = true }),
            Envelope(customer, "contract.signed", s_now.AddDays(-200), new { contractId = "main", arr = 48000, currency = "EUR", seats = 20, startsOn = Day(-200), endsOn = Day(62) }),
            Envelope(customer, "usage.recorded", s_now.AddDays(-1), new { feature = "message.sent", userId = "u-1", role = "operator" }));
        var store = platform.Renewal.Services.GetRequiredService<IDocumentStore>();
        await Eventually.ReachesAsync(
            async () =>
            {
                await using var session = store.QuerySession();
                return await session.LoadAsync<CustomerRenewal>(customer);
            },
            r => r is { Owner: not null, TierChangedAt: not null, Health.Count: > 0 },
            "Renewal to know the owner, the tier and the health");

        await ingestion.PostAsync(Envelope(customer, "stakeholder.changed", s_now.AddMinutes(-5), new { role = "champion", change = "left", personId = "dana" }));

        var onExchange = (await exchange.WaitForAsync(
                m => m.Subject == customer && m.Type == CrmEventTypes.RiskChanged && m.Data.GetProperty("reasons").EnumerateArray().Any(r => r.GetProperty("code").GetString() == "champion_left"),
                "the champion's departure as a risk change on the exchange"))
            .Last(m => m.Subject == customer && m.Type == CrmEventTypes.RiskChanged);
        Assert.Equal(onExchange.Id, onExchange.MessageId);
        Assert.Equal(CloudEventEnvelope.ContentType, onExchange.ContentType);
        var data = onExchange.Data;
        Assert.Equal("jane.doe@example.com", data.GetProperty("owner").GetString());
        Assert.Equal("key_account", data.GetProperty("tier").GetString());
        // The health Renewal held when it assessed (HealthScore may have scored the departure too, so not necessarily the first).
        await using (var session = store.QuerySession())
        {
            var readings = (await session.LoadAsync<CustomerRenewal>(customer))!.Health;
            var carried = data.GetProperty("health");
            Assert.Contains(readings, h => h.Score == carried.GetProperty("score").GetDecimal()
                && JsonSerializer.SerializeToElement(h.Band).GetString() == carried.GetProperty("band").GetString()
                && JsonSerializer.SerializeToElement(h.Quadrant).GetString() == carried.GetProperty("quadrant").GetString());
        }

        Assert.Equal("main", data.GetProperty("contractId").GetString());
        Assert.Equal(62, data.GetProperty("daysToRenewal").GetInt32());
        Assert.Equal("urn:customersuccess:renewal", onExchange.Event.GetProperty("source").GetString());

        var webhook = (await Eventually.ReachesAsync(() => Task.FromResult(receiver.For(onExchange.Id)), r => r.Count > 0, "the risk change as a webhook"))[0];
        Assert.Equal(onExchange.Body, webhook.Body);
        Assert.True(WebhookSignature.Verify(secret, webhook.Id!, webhook.Timestamp!, webhook.Signature!, webhook.Body, DateTimeOffset.UtcNow));

        using var reader = Platform.Client(platform.Renewal, Platform.ReadKey);
        var feed = await Eventually.ReachesAsync(
            () => CrmFeedClient.FeedAsync(reader, $"customerId={customer}&types={CrmEventTypes.RiskChanged}&limit=1000"),
            f => f.GetProperty("events").EnumerateArray().Any(e => e.GetProperty("id").GetString() == onExchange.Id),
            "the risk change in the pull feed");
        var served = feed.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("id").GetString() == onExchange.Id);
        Assert.Equal(Encoding.UTF8.GetString(onExchange.Body), Assert.Single(served).GetRawText());
    }

    [Fact]
    public async Task Stage_tier_and_health_changes_appear_on_the_exchange_as_cloudevents_that_validate_against_their_schemas()
    {
        await using var exchange = await ExchangeTap.BindAsync(platform.RabbitMqUri);
        using var ingestion = Platform.Client(platform.Ingestion, Platform.IngestKey);
        var customer = Envelopes.NewCustomerId("crm-types");

        await ingestion.PostAsync(
            Envelope(customer, "customer.profiled", s_now.AddDays(-30), new { name = "Initech", owner = "sam@example.com", keyAccount = true, handoverComplete = true }),
            Envelope(customer, "contract.signed", s_now.AddDays(-30), new { contractId = "main", arr = 12000, currency = "EUR", seats = 10, startsOn = Day(-30), endsOn = Day(335) }),
            Envelope(customer, "usage.recorded", s_now.AddDays(-1), new { feature = "message.sent", userId = "u-1", role = "operator" }));

        string[] expected = [CrmEventTypes.StageChanged, CrmEventTypes.TierChanged, CrmEventTypes.HealthChanged, CrmEventTypes.RiskChanged];
        var messages = (await exchange.WaitForAsync(
                _ => expected.All(type => exchange.Received.Any(m => m.Subject == customer && m.Type == type)),
                "stage, tier, health and risk changes on the exchange"))
            .Where(m => m.Subject == customer).ToList();

        Assert.All(messages, m => Assert.Equal(m.Id, m.MessageId));
        Assert.Equal("urn:customersuccess:lifecycle", messages.First(m => m.Type == CrmEventTypes.StageChanged).Event.GetProperty("source").GetString());
        Assert.Equal("urn:customersuccess:healthscore", messages.First(m => m.Type == CrmEventTypes.HealthChanged).Event.GetProperty("source").GetString());
        Assert.Equal("key_account", messages.Last(m => m.Type == CrmEventTypes.TierChanged).Data.GetProperty("tier").GetString());
        foreach (var type in messages.GroupBy(m => m.Type))
        {
            var sequences = type.Select(m => m.Event.GetProperty("sequence").GetString()!).ToList();
            Assert.Equal(sequences.Order(StringComparer.Ordinal), sequences);
        }

        var directory = Directory.CreateTempSubdirectory("crm-service-events-");
        try
        {
            for (var i = 0; i < messages.Count; i++)
            {
                await File.WriteAllBytesAsync(Path.Combine(directory.FullName, $"{messages[i].Type}-{i}.json"), messages[i].Body);
            }

            var (exitCode, output, error) = await NodeSample.RunAsync("validate.js", [directory.FullName]);

            Assert.True(exitCode == 0, $"validate.js failed: {output} {error}");
            Assert.Contains($"valid: {messages.Count} events against {CrmEventTypes.All.Count} schemas", output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}

/// <summary>A CloudEvent as it arrived on a queue bound to the integration exchange.</summary>
public sealed record ExchangeMessage(string RoutingKey, string? MessageId, string? ContentType, byte[] Body)
{
    public JsonElement Event { get; } = JsonDocument.Parse(Body).RootElement.Clone();

    public string Id => Event.GetProperty("id").GetString()!;

    public string Type => Event.GetProperty("type").GetString()!;

    public string? Subject => Event.GetProperty("subject").GetString();

    public JsonElement Data => Event.GetProperty("data");
}

/// <summary>An integrator's queue on the fixture's virtual host, bound to every routing key of the integration exchange.</summary>
public sealed class ExchangeTap : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _queue;
    private readonly List<ExchangeMessage> _received = [];

    private ExchangeTap(IConnection connection, IChannel channel, string queue) => (_connection, _channel, _queue) = (connection, channel, queue);

    public IReadOnlyList<ExchangeMessage> Received => _received;

    public static async Task<ExchangeTap> BindAsync(Uri rabbitMq)
    {
        var connection = await new ConnectionFactory { Uri = rabbitMq }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(CrmFeedBrokerOptions.Exchange, ExchangeType.Topic, durable: true);
        var queue = (await channel.QueueDeclareAsync(exclusive: true)).QueueName;
        await channel.QueueBindAsync(queue, CrmFeedBrokerOptions.Exchange, "customersuccess.#");
        return new ExchangeTap(connection, channel, queue);
    }

    /// <summary>Takes what the queue holds until one of the messages received so far satisfies <paramref name="satisfied"/>; returns them all.</summary>
    public Task<IReadOnlyList<ExchangeMessage>> WaitForAsync(Func<ExchangeMessage, bool> satisfied, string what) =>
        Eventually.ReachesAsync(
            async () =>
            {
                while (await _channel.BasicGetAsync(_queue, autoAck: true) is { } message)
                {
                    _received.Add(new ExchangeMessage(message.RoutingKey, message.BasicProperties.MessageId, message.BasicProperties.ContentType, message.Body.ToArray()));
                }

                return (IReadOnlyList<ExchangeMessage>)[.. _received];
            },
            received => received.Any(satisfied),
            what);

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

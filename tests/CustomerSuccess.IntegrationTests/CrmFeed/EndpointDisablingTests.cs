using System.Net.Http.Json;
using System.Text.Json;
using CustomerSuccess.CrmFeed.Broker;
using CustomerSuccess.CrmFeed.Envelopes;
using CustomerSuccess.IntegrationTests.Infrastructure;
using RabbitMQ.Client;

namespace CustomerSuccess.IntegrationTests.CrmFeed;

/// <summary>The feed with endpoints disabled after 3 s of failures instead of 5 days, and a longer retry schedule.</summary>
public sealed class QuicklyDisablingCrmFeedHost : CrmFeedHost
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["CrmFeed:DisableAfter"] = "00:00:03";
        for (var i = 2; i < 8; i++)
        {
            settings[$"CrmFeed:RetryDelays:{i}"] = "00:00:01";
        }

        return settings;
    }
}

public sealed class EndpointDisablingTests(QuicklyDisablingCrmFeedHost host) : IClassFixture<QuicklyDisablingCrmFeedHost>
{
    [Fact]
    public async Task An_endpoint_failing_for_the_configured_period_is_disabled_and_the_other_channels_are_told()
    {
        await using var failing = await WebhookReceiver.StartAsync();
        failing.DefaultStatus = 500;
        await using var watcher = await WebhookReceiver.StartAsync();
        using var admin = host.Client();
        var (failingId, _) = await CrmFeedClient.RegisterAsync(admin, failing.Url, CrmEventTypes.RiskChanged);
        await CrmFeedClient.RegisterAsync(admin, watcher.Url, CrmEventTypes.WebhookDisabled);

        var factory = new ConnectionFactory { Uri = host.RabbitMqUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(CrmFeedBrokerOptions.Exchange, ExchangeType.Topic, durable: true);
        var queue = (await channel.QueueDeclareAsync(exclusive: true)).QueueName;
        await channel.QueueBindAsync(queue, CrmFeedBrokerOptions.Exchange, CrmEventTypes.WebhookDisabled);

        var envelope = CrmFeedChannelTests.RiskEnvelope(Envelopes.NewCustomerId("crm-failing"));
        await host.Publisher.PublishAsync(envelope, CancellationToken.None);

        var webhook = await Eventually.ReachesAsync(() => admin.GetFromJsonAsync<JsonElement>($"/v1/webhooks/{failingId}"),
            w => !w.GetProperty("enabled").GetBoolean(), "the failing endpoint to be disabled");
        Assert.StartsWith("Deliveries failed without a success since", webhook.GetProperty("disabledReason").GetString(), StringComparison.Ordinal);
        // Attempts 1 s apart until 3 s of failure: about four, fewer when the machine is slow.
        Assert.InRange(failing.For(envelope.Id).Count, 2, 9);
        Assert.Equal("failed", (await CrmFeedClient.DeliveriesAsync(admin, failingId)).EnumerateArray().Single().GetProperty("status").GetString());

        var told = await Eventually.ReachesAsync(() => Task.FromResult(watcher.Received), r => r.Count > 0, "the other endpoint to hear of it");
        var disabled = JsonDocument.Parse(told.Single().Body).RootElement;
        Assert.Equal(CrmEventTypes.WebhookDisabled, disabled.GetProperty("type").GetString());
        Assert.Equal(failingId, disabled.GetProperty("subject").GetString());

        var published = await Eventually.ReachesAsync(() => channel.BasicGetAsync(queue, autoAck: true), m => m is not null, "the disabled event on the exchange");
        Assert.Equal(told.Single().Body, published!.Body.ToArray());
        Assert.Equal(told.Single().Id, published.BasicProperties.MessageId);
    }
}

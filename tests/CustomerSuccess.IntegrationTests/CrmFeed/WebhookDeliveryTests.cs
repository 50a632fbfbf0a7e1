using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerSuccess.CrmFeed.Deliveries;
using CustomerSuccess.CrmFeed.Envelopes;
using CustomerSuccess.IntegrationTests.Infrastructure;

namespace CustomerSuccess.IntegrationTests.CrmFeed;

public sealed class WebhookDeliveryTests(CrmFeedHost host) : IClassFixture<CrmFeedHost>
{
    [Fact]
    public async Task A_receiver_answering_500_then_200_gets_the_same_webhook_id_with_a_new_timestamp_and_signature()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500);
        using var admin = host.Client();
        var (webhookId, secret) = await CrmFeedClient.RegisterAsync(admin, receiver.Url);
        var envelope = CrmFeedChannelTests.RiskEnvelope(Envelopes.NewCustomerId("crm-retry"));

        await host.Publisher.PublishAsync(envelope, CancellationToken.None);

        var delivery = await CrmFeedClient.DeliveryReachesAsync(admin, webhookId, envelope.Id, "delivered");
        var attempts = receiver.For(envelope.Id);
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(envelope.Id, a.Id));
        Assert.All(attempts, a => Assert.Equal(envelope.Body.ToArray(), a.Body));
        Assert.NotEqual(attempts[0].Timestamp, attempts[1].Timestamp);
        Assert.NotEqual(attempts[0].Signature, attempts[1].Signature);
        Assert.All(attempts, a => Assert.True(WebhookSignature.Verify(secret, a.Id!, a.Timestamp!, a.Signature!, a.Body, a.ReceivedAt)));

        var log = delivery.GetProperty("attemptLog").EnumerateArray().ToList();
        Assert.Equal([500, 200], log.Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.Equal("receiver answered 500", log[0].GetProperty("responseExcerpt").GetString());
        Assert.Equal(JsonValueKind.String, log[0].GetProperty("nextAttemptAt").ValueKind);
    }

    [Fact]
    public async Task A_later_retry_after_from_the_receiver_is_honoured()
    {
        await using var receiver = await WebhookReceiver.StartAsync(503);
        receiver.RetryAfterSeconds = 4;
        using var admin = host.Client();
        var (webhookId, _) = await CrmFeedClient.RegisterAsync(admin, receiver.Url);
        var envelope = CrmFeedChannelTests.RiskEnvelope(Envelopes.NewCustomerId("crm-retry-after"));

        await host.Publisher.PublishAsync(envelope, CancellationToken.None);

        await CrmFeedClient.DeliveryReachesAsync(admin, webhookId, envelope.Id, "delivered");
        var attempts = receiver.For(envelope.Id);
        Assert.Equal(2, attempts.Count);
        // The fixture's schedule alone would retry after 1 s.
        Assert.True(attempts[1].ReceivedAt - attempts[0].ReceivedAt >= TimeSpan.FromSeconds(3.9), $"retried after {attempts[1].ReceivedAt - attempts[0].ReceivedAt}");
    }

    [Fact]
    public async Task A_410_disables_the_endpoint_and_the_feed_says_so()
    {
        await using var receiver = await WebhookReceiver.StartAsync(410);
        using var admin = host.Client();
        var (webhookId, _) = await CrmFeedClient.RegisterAsync(admin, receiver.Url);
        var envelope = CrmFeedChannelTests.RiskEnvelope(Envelopes.NewCustomerId("crm-gone"));

        await host.Publisher.PublishAsync(envelope, CancellationToken.None);

        await CrmFeedClient.DeliveryReachesAsync(admin, webhookId, envelope.Id, "failed");
        var webhook = await admin.GetFromJsonAsync<JsonElement>($"/v1/webhooks/{webhookId}");
        Assert.False(webhook.GetProperty("enabled").GetBoolean());
        Assert.Contains("410", webhook.GetProperty("disabledReason").GetString(), StringComparison.Ordinal);
        Assert.Single(receiver.For(envelope.Id));

        using var reader = host.Client(CrmFeedHost.ReadKey);
        var feed = await CrmFeedClient.FeedAsync(reader, $"types={CrmEventTypes.WebhookDisabled}&customerId={webhookId}");
        var disabled = Assert.Single(feed.GetProperty("events").EnumerateArray());
        Assert.Equal(webhookId, disabled.GetProperty("data").GetProperty("webhookId").GetString());

        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/v1/webhooks/{webhookId}/test", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/webhooks/{webhookId}/enable", null)).StatusCode);
        Assert.True((await admin.GetFromJsonAsync<JsonElement>($"/v1/webhooks/{webhookId}")).GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Recovery_resends_what_failed_with_the_same_webhook_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.DefaultStatus = 503;
        using var admin = host.Client();
        var (webhookId, _) = await CrmFeedClient.RegisterAsync(admin, receiver.Url);
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var envelope = CrmFeedChannelTests.RiskEnvelope(Envelopes.NewCustomerId("crm-recover"));
        await host.Publisher.PublishAsync(envelope, CancellationToken.None);

        // Three attempts (the fixture's schedule is 1 s, 1 s), then the delivery has failed.
        var failed = await CrmFeedClient.DeliveryReachesAsync(admin, webhookId, envelope.Id, "failed");
        Assert.Equal(3, failed.GetProperty("attempts").GetInt32());
        Assert.Contains(envelope.Id, (await CrmFeedClient.DeliveriesAsync(admin, webhookId, "failed")).EnumerateArray().Select(d => d.GetProperty("eventId").GetString()));

        receiver.DefaultStatus = 204;
        var recover = await admin.PostAsJsonAsync($"/v1/webhooks/{webhookId}/recover", new { since });
        Assert.Equal(HttpStatusCode.Accepted, recover.StatusCode);
        Assert.Equal(1, (await recover.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requeued").GetInt32());

        await CrmFeedClient.DeliveryReachesAsync(admin, webhookId, envelope.Id, "delivered");
        Assert.Equal(4, receiver.For(envelope.Id).Count);

        var retry = await admin.PostAsync($"/v1/webhooks/{webhookId}/deliveries/{envelope.Id}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        await Eventually.ReachesAsync(() => Task.FromResult(receiver.For(envelope.Id).Count), n => n == 5, "the re-sent delivery");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/v1/webhooks/{webhookId}/deliveries/no-such-event/retry", null)).StatusCode);
    }

    [Fact]
    public async Task After_a_rotation_both_secrets_sign_until_the_overlap_ends()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var admin = host.Client();
        var (webhookId, oldSecret) = await CrmFeedClient.RegisterAsync(admin, receiver.Url);

        var rotated = await (await admin.PostAsync($"/v1/webhooks/{webhookId}/rotate-secret", null)).Content.ReadFromJsonAsync<JsonElement>();
        var newSecret = rotated.GetProperty("secret").GetString()!;
        var test = await admin.PostAsync($"/v1/webhooks/{webhookId}/test", null);
        Assert.Equal(HttpStatusCode.Accepted, test.StatusCode);
        var eventId = (await test.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("eventId").GetString()!;

        var webhook = (await Eventually.ReachesAsync(() => Task.FromResult(receiver.For(eventId)), r => r.Count > 0, "the test event")).Single();
        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal(2, webhook.Signature!.Split(' ').Length);
        Assert.True(WebhookSignature.Verify(oldSecret, webhook.Id!, webhook.Timestamp!, webhook.Signature, webhook.Body, webhook.ReceivedAt));
        Assert.True(WebhookSignature.Verify(newSecret, webhook.Id!, webhook.Timestamp!, webhook.Signature, webhook.Body, webhook.ReceivedAt));
        Assert.Equal(CrmEventTypes.WebhookTest, JsonDocument.Parse(webhook.Body).RootElement.GetProperty("type").GetString());
        Assert.DoesNotContain(newSecret, await admin.GetStringAsync("/v1/webhooks"), StringComparison.Ordinal);

        // The test event went to this endpoint only and is not part of the feed.
        using var reader = host.Client(CrmFeedHost.ReadKey);
        var feed = await CrmFeedClient.FeedAsync(reader, $"customerId={webhookId}");
        Assert.Equal(0, feed.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task Pending_deliveries_survive_a_host_that_stops_without_finishing_them()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.DefaultStatus = 500;
        using (var admin = host.Client())
        {
            var (webhookId, _) = await CrmFeedClient.RegisterAsync(admin, receiver.Url);
            var envelope = CrmFeedChannelTests.RiskEnvelope(Envelopes.NewCustomerId("crm-restart"));
            await host.Publisher.PublishAsync(envelope, CancellationToken.None);
            await Eventually.ReachesAsync(() => Task.FromResult(receiver.For(envelope.Id).Count), n => n >= 1, "a first failed attempt");

            receiver.DefaultStatus = 200;
            await host.RestartAsync();

            using var restarted = host.Client();
            await CrmFeedClient.DeliveryReachesAsync(restarted, webhookId, envelope.Id, "delivered");
            Assert.All(receiver.For(envelope.Id), a => Assert.Equal(envelope.Id, a.Id));
        }
    }
}

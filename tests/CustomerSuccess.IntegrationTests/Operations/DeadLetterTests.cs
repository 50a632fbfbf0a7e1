using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CustomerSuccess.Contracts.Messaging;
using CustomerSuccess.IntegrationTests.Infrastructure;
using RabbitMQ.Client;

namespace CustomerSuccess.IntegrationTests.Operations;

[Collection(PlatformCollection.Name)]
public sealed class DeadLetterTests(Platform platform)
{
    private const string Queue = QueueNames.HealthScoreFacts;

    [Fact]
    public async Task A_poison_message_ends_in_the_error_queue_and_a_parked_message_is_applied_once_redriven()
    {
        using var admin = Platform.Client(platform.HealthScore, Platform.AdminKey);
        var customerId = Envelopes.NewCustomerId("parked");
        var eventId = $"{customerId}-1";

        var before = await DeadLetterCountAsync(admin);
        try
        {
            await SendRawAsync(Queue, Encoding.UTF8.GetBytes("{ this is not a message"));
            await Eventually.ReachesAsync(() => DeadLetterCountAsync(admin), n => n == before + 1, "the poison message to reach the error queue");
            using (var scrape = Platform.Client(platform.HealthScore, apiKey: null))
            {
                var deadLettered = MetricsTests.Series("customersuccess_messaging_dead_lettered_total", ("messaging_destination_name", Queue));
                await Eventually.ReachesAsync(() => MetricsTests.ScrapeAsync(scrape), text => MetricsTests.Sum(text, deadLettered) >= 1,
                    "HealthScore to count the dead-lettered message on its facts queue");
            }


            var peek = await admin.GetFromJsonAsync<JsonElement>($"/v1/admin/dead-letters/{Queue}?peek=100");
            Assert.Contains(peek.GetProperty("first").EnumerateArray(), m => m.GetProperty("faultExceptionType").GetString()!.Contains("Json", StringComparison.Ordinal));

            // A valid page of events that failed earlier (say, while the database was down) waits in the error queue.
            await SendRawAsync(Queue + "_error", Encoding.UTF8.GetBytes(MassTransitEnvelope(customerId, eventId)));
            await Eventually.ReachesAsync(() => DeadLetterCountAsync(admin), n => n == before + 2, "the parked message to be in the error queue");

            var redrive = await admin.PostAsync($"/v1/admin/dead-letters/{Queue}/redrive", null);
            Assert.Equal(HttpStatusCode.OK, redrive.StatusCode);
            Assert.Equal(before + 2, (await redrive.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("redriven").GetInt32());

            await Eventually.ReachesAsync(
                () => StoredEvents.CountByIdAsync(platform, "healthscore", [eventId]),
                counts => counts[eventId] == 1,
                "the re-driven event to be applied");
            await Eventually.ReachesAsync(() => DeadLetterCountAsync(admin), n => n >= 1, "the poison message to fail again and return to the error queue");
        }
        finally
        {
            // The fixture's error queue keeps nothing of this test.
            await PurgeAsync(Queue + "_error");
        }
    }

    [Fact]
    public async Task Dead_letters_of_a_queue_the_service_does_not_own_are_404_and_need_the_admin_scope()
    {
        using var admin = Platform.Client(platform.HealthScore, Platform.AdminKey);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/admin/dead-letters/{QueueNames.LifecycleEvents}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/v1/admin/dead-letters/healthscore-no-such-queue")).StatusCode);

        // A consumer queue that never failed has no error queue yet: nothing waiting, nothing to re-drive.
        using var renewal = Platform.Client(platform.Renewal, Platform.AdminKey);
        var none = await renewal.GetFromJsonAsync<JsonElement>($"/v1/admin/dead-letters/{QueueNames.RenewalEvents}");
        Assert.Equal(0, none.GetProperty("messages").GetInt32());
        var redrive = await renewal.PostAsync($"/v1/admin/dead-letters/{QueueNames.RenewalEvents}/redrive", null);
        Assert.Equal(0, (await redrive.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("redriven").GetInt32());

        using var reader = Platform.Client(platform.HealthScore, Platform.ReadKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync($"/v1/admin/dead-letters/{Queue}")).StatusCode);
    }

    private static async Task<int> DeadLetterCountAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/v1/admin/dead-letters/{Queue}?peek=0")).GetProperty("messages").GetInt32();

    private static string MassTransitEnvelope(string customerId, string eventId) => JsonSerializer.Serialize(new
    {
        messageId = Guid.NewGuid(),
        messageType = new[] { MessageNames.CustomerEventsIngestedUrn },
        sentTime = DateTimeOffset.UtcNow,
        message = new
        {
            events = new[]
            {
                new Dictionary<string, object>
                {
                    ["type"] = "usage.recorded",
                    ["eventId"] = eventId,
                    ["customerId"] = customerId,
                    ["occurredAt"] = DateTimeOffset.UtcNow.AddDays(-1),
                    ["receivedAt"] = DateTimeOffset.UtcNow,
                    ["feature"] = "message.sent",
                    ["quantity"] = 1,
                },
            },
        },
    });

    private async Task SendRawAsync(string queue, byte[] body)
    {
        await using var connection = await new ConnectionFactory { Uri = platform.RabbitMqUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true, MessageId = Guid.NewGuid().ToString() };
        await channel.BasicPublishAsync("", queue, mandatory: true, properties, body);
    }

    private async Task PurgeAsync(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = platform.RabbitMqUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueuePurgeAsync(queue);
    }
}

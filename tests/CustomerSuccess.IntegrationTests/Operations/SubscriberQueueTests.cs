using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Messaging;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.IntegrationTests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CustomerSuccess.IntegrationTests.Operations;

/// <summary>
/// A first deploy: a service publishes a change before the services that consume it have ever started. RabbitMQ drops
/// a message no queue is bound for, so the publisher declares its subscribers' queues before its first publish.
/// </summary>
public sealed class SubscriberQueueTests
{
    [Fact]
    public void Every_consumer_queue_has_its_publisher_declare_it()
    {
        var declared = QueueNames.IngestedEventsByService.Values.Concat(QueueNames.SubscribersByMessage.Values.SelectMany(q => q)).ToList();
        Assert.Equal(QueueNames.All.Order(StringComparer.Ordinal), declared.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_change_published_before_any_consumer_started_waits_in_each_subscriber_queue()
    {
        var servers = await TestServers.GetAsync();
        var vhost = $"cs-first-deploy-{Guid.NewGuid():N}"[..30];
        var credentials = Uri.UnescapeDataString(servers.RabbitMq.UserInfo is { Length: > 0 } info ? info : "guest:guest");
        using var management = new HttpClient { BaseAddress = servers.RabbitMqManagement, Timeout = TimeSpan.FromSeconds(30) };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        (await management.PutAsync($"api/vhosts/{vhost}", null)).EnsureSuccessStatusCode();
        var user = Uri.UnescapeDataString(servers.RabbitMq.UserInfo.Split(':')[0]);
        (await management.PutAsJsonAsync($"api/permissions/{vhost}/{Uri.EscapeDataString(user)}", new { configure = ".*", write = ".*", read = ".*" }))
            .EnsureSuccessStatusCode();
        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["RabbitMq:Uri"] = new UriBuilder(servers.RabbitMq) { Path = "/" + vhost }.Uri.ToString(),
            });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddSingleton(TimeProvider.System);
            builder.AddMessaging("lifecycle");
            using var host = builder.Build();
            await host.StartAsync();
            try
            {
                await host.Services.GetRequiredService<IBus>().Publish(new CustomerTierChanged
                {
                    EventId = "tier-1", CustomerId = "first-deploy", Tier = CustomerTier.HighPotential, Pinned = false, ChangedAt = DateTimeOffset.UtcNow,
                });
            }
            finally
            {
                await host.StopAsync();
            }

            foreach (var queue in QueueNames.SubscribersByMessage[typeof(CustomerTierChanged)])
            {
                var waiting = await Eventually.ReachesAsync(
                    async () => await management.GetFromJsonAsync<JsonElement>($"api/queues/{vhost}/{queue}"),
                    q => q.TryGetProperty("messages", out var messages) && messages.GetInt32() == 1,
                    $"the tier change to wait in {queue}");
                Assert.Equal("quorum", waiting.GetProperty("type").GetString());
            }
        }
        finally
        {
            await management.DeleteAsync($"api/vhosts/{vhost}");
        }
    }
}

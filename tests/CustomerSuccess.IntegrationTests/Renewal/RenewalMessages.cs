using System.Collections.Concurrent;
using System.Net.Http.Json;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.IntegrationTests.Infrastructure;
using MassTransit;

namespace CustomerSuccess.IntegrationTests.Renewal;

/// <summary>
/// A temporary queue in the fixture's virtual host bound to one message type, as Lifecycle or a CRM integration would
/// bind one; collects every message it receives. Dispose to delete the queue.
/// </summary>
internal sealed class MessageListener<T> : IAsyncDisposable
    where T : class
{
    private readonly ConcurrentQueue<T> _received = new();
    private HostReceiveEndpointHandle? _handle;

    public static async Task<MessageListener<T>> StartAsync(IBus bus)
    {
        var listener = new MessageListener<T>();
        listener._handle = bus.ConnectReceiveEndpoint(endpoint => endpoint.Handler<T>(context =>
        {
            listener._received.Enqueue(context.Message);
            return Task.CompletedTask;
        }));
        await listener._handle.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        return listener;
    }

    public IReadOnlyList<T> Where(Func<T, bool> predicate) => _received.Where(predicate).ToList();

    public async ValueTask DisposeAsync()
    {
        if (_handle is not null)
        {
            await _handle.StopAsync();
        }
    }
}

/// <summary>Envelopes for renewal stories and the reads that wait for Renewal to have them.</summary>
internal static class RenewalReads
{
    public static Dictionary<string, object> Envelope(string customerId, string type, DateTimeOffset occurredAt, object data) => new()
    {
        ["id"] = $"{customerId}-{Guid.NewGuid():N}",
        ["type"] = type,
        ["customerId"] = customerId,
        ["occurredAt"] = occurredAt,
        ["data"] = data,
    };

    public static async Task PostAsync(this HttpClient ingestion, params Dictionary<string, object>[] envelopes)
    {
        var response = await ingestion.PostAsJsonAsync("/v1/events", envelopes);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }

    public static Task<CustomerRenewalResponse> WaitForRenewalAsync(this HttpClient renewal, string customerId, Func<CustomerRenewalResponse, bool> satisfied, string what, string query = "") =>
        Eventually.ReachesAsync(
            async () => (await renewal.GetFromJsonAsync<CustomerRenewalResponse>($"/v1/customers/{customerId}/renewal{query}"))!,
            r => r is not null && satisfied(r),
            what);
}

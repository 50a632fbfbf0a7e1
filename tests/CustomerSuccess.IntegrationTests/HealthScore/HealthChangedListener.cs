using System.Collections.Concurrent;
using CustomerSuccess.Contracts.Events;
using MassTransit;

namespace CustomerSuccess.IntegrationTests.HealthScore;

/// <summary>
/// A temporary queue in the fixture's virtual host bound to <see cref="CustomerHealthChanged"/>, as a CRM integration
/// or another service would bind one; collects every message it receives. Dispose to delete the queue.
/// </summary>
internal sealed class HealthChangedListener : IAsyncDisposable
{
    private readonly ConcurrentQueue<CustomerHealthChanged> _received = new();
    private HostReceiveEndpointHandle? _handle;

    public static async Task<HealthChangedListener> StartAsync(IBus bus)
    {
        var listener = new HealthChangedListener();
        listener._handle = bus.ConnectReceiveEndpoint(endpoint => endpoint.Handler<CustomerHealthChanged>(context =>
        {
            listener._received.Enqueue(context.Message);
            return Task.CompletedTask;
        }));
        await listener._handle.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        return listener;
    }

    /// <summary>The messages received so far about one customer, in arrival order.</summary>
    public IReadOnlyList<CustomerHealthChanged> For(string customerId) => _received.Where(m => m.CustomerId == customerId).ToList();

    public async ValueTask DisposeAsync()
    {
        if (_handle is not null)
        {
            await _handle.StopAsync();
        }
    }
}

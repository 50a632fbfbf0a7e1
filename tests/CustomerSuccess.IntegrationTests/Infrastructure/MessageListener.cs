using System.Collections.Concurrent;
using MassTransit;

namespace CustomerSuccess.IntegrationTests.Infrastructure;

/// <summary>
/// A temporary queue in the fixture's virtual host bound to one integration event, as another service or a CRM would
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

    /// <summary>The messages received so far that match, in arrival order.</summary>
    public IReadOnlyList<T> Where(Func<T, bool> predicate) => _received.Where(predicate).ToList();

    public async ValueTask DisposeAsync()
    {
        if (_handle is not null)
        {
            await _handle.StopAsync();
        }
    }
}

namespace CustomerSuccess.EventSourcing.EventStore;

/// <summary>
/// Serialises, inside this instance, the writers of a customer's stream: a service's consumers read from different
/// queues (HealthScore's facts, tier and stage consumers, say) and its daily evaluation pages through every customer; each
/// holds its customers' locks from reading the stream to committing, so they no longer fail each other's optimistic
/// version check and retry the whole page. Across instances the version check still decides (a conflict fails the
/// message, which is retried).
/// </summary>
/// <remarks>
/// Customers share a fixed set of locks by hash, so the set never grows. A writer of several customers takes their
/// locks in ascending order, so two writers can never each hold a lock the other waits for.
/// </remarks>
public sealed class CustomerStreamLocks
{
    private const int Stripes = 1024;
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>Waits until no other writer in this instance holds any of <paramref name="customerIds"/>; dispose to release.</summary>
    public async Task<IDisposable> EnterAsync(IEnumerable<string> customerIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customerIds);
        var stripes = customerIds.Select(StripeOf).Distinct().Order().ToArray();
        var entered = 0;
        try
        {
            for (; entered < stripes.Length; entered++)
            {
                await _stripes[stripes[entered]].WaitAsync(cancellationToken);
            }
        }
        catch
        {
            Release(stripes, entered);
            throw;
        }

        return new Held(this, stripes);
    }

    private static int StripeOf(string customerId) => (int)((uint)StringComparer.Ordinal.GetHashCode(customerId) % Stripes);

    private void Release(int[] stripes, int count)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            _stripes[stripes[i]].Release();
        }
    }

    private sealed class Held(CustomerStreamLocks locks, int[] stripes) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                locks.Release(stripes, stripes.Length);
            }
        }
    }
}

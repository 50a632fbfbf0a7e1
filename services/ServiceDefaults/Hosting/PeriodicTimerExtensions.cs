namespace CustomerSuccess.ServiceDefaults.Hosting;

/// <summary>The loop condition of a background service that works on a <see cref="PeriodicTimer"/>.</summary>
public static class PeriodicTimerExtensions
{
    /// <summary>
    /// Waits for the timer's next tick: true on a tick, false once the host is stopping (or the timer is disposed), so
    /// <c>do { … } while (await timer.WaitForNextTickOrStopAsync(stoppingToken));</c> ends without an exception —
    /// a cancelled wait is the ordinary end of the loop, not a failure.
    /// </summary>
    public static async Task<bool> WaitForNextTickOrStopAsync(this PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

using CustomerSuccess.CrmFeed.Store;
using CustomerSuccess.ServiceDefaults.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.CrmFeed.Webhooks;

/// <summary>
/// Keeps the delivery log to <see cref="CrmFeedOptions.DeliveryLogRetention"/>: every
/// <see cref="CrmFeedOptions.DeliveryLogPruneInterval"/> it deletes older finished deliveries and attempts in bounded
/// batches (short transactions, so dispatching is never held up). Safe on several instances: each deletes what it
/// finds; a row deleted twice is simply gone.
/// </summary>
public sealed partial class DeliveryLogRetention(
    DeliveryQueue queue, TimeProvider clock, IOptions<CrmFeedOptions> options, ILogger<DeliveryLogRetention> logger) : BackgroundService
{
    public const int BatchSize = 5_000;

    /// <summary>Deletes everything older than the retention, batch by batch; returns the rows deleted.</summary>
    public async Task<long> PruneAsync(CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow() - options.Value.DeliveryLogRetention;
        long deleted = 0;
        int batch;
        do
        {
            batch = await queue.PruneAsync(before, BatchSize, cancellationToken);
            deleted += batch;
        }
        while (batch > 0);

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.DeliveryLogPruneInterval, clock);
        do
        {
            try
            {
                var deleted = await PruneAsync(stoppingToken);
                if (deleted > 0)
                {
                    LogPruned(logger, deleted, settings.DeliveryLogRetention);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Delivery log retention failed; trying again after {Interval}", settings.DeliveryLogPruneInterval);
            }
        }
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery log: {Rows} rows older than {Retention} deleted")]
    private static partial void LogPruned(ILogger logger, long rows, TimeSpan retention);
}

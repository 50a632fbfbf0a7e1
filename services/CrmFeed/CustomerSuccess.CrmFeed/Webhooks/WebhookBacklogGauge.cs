using CustomerSuccess.CrmFeed.Store;
using CustomerSuccess.ServiceDefaults.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.CrmFeed.Webhooks;

/// <summary>
/// Reads what waits in the delivery tables every <see cref="CrmFeedOptions.BacklogReadInterval"/> for
/// <see cref="WebhookMetrics"/>. While the database cannot be read the gauges report nothing (the readiness check
/// names the database).
/// </summary>
public sealed class WebhookBacklogGauge(
    DeliveryQueue queue, WebhookMetrics metrics, TimeProvider clock, IOptions<CrmFeedOptions> options, ILogger<WebhookBacklogGauge> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.BacklogReadInterval, clock);
        do
        {
            try
            {
                metrics.Observed(await queue.ReadBacklogAsync(clock.GetUtcNow(), stoppingToken));
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                metrics.Observed(null);
                logger.LogDebug(exception, "Webhook backlog not read; its gauges report nothing until the next reading.");
            }
        }
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken));
    }
}

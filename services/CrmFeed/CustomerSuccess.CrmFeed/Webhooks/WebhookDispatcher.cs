using CustomerSuccess.CrmFeed.Broker;
using CustomerSuccess.CrmFeed.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.CrmFeed.Webhooks;

/// <summary>
/// Attempts due deliveries. Polls the delivery rows (safe with several instances: claims skip locked rows and hold a
/// lease), sends each through <see cref="WebhookSender"/>, and records the outcome and the next attempt in the same
/// rows, so a restart resumes the schedule where it was.
/// </summary>
public sealed class WebhookDispatcher(
    DeliveryQueue queue,
    WebhookSender sender,
    TimeProvider clock,
    IOptions<CrmFeedOptions> options,
    IServiceProvider services,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var schedule = settings.Schedule();
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                var due = await queue.ClaimAsync(settings.BatchSize, settings.ClaimLease, clock.GetUtcNow(), stoppingToken);
                claimed = due.Count;
                await Parallel.ForEachAsync(
                    due,
                    new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrentAttempts, CancellationToken = stoppingToken },
                    async (delivery, token) =>
                    {
                        var outcome = await sender.SendAsync(delivery, token);
                        var next = outcome.Succeeded
                            ? null
                            : schedule.NextAttempt(delivery.Attempts + 1, outcome.AttemptedAt, outcome.RetryAfter, Random.Shared.NextDouble());
                        var disabled = await queue.RecordAsync(
                            delivery, outcome, next, outcome.AttemptedAt - settings.DisableAfter, settings.Service, token);
                        if (disabled is not null)
                        {
                            logger.LogWarning("Webhook {WebhookId} disabled: {Reason}", disabled.WebhookId, outcome.Error);
                            await AnnounceAsync(disabled, token);
                        }
                    });
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The database is unreachable or a row could not be recorded: the claimed rows' lease expires and
                // they are attempted again, with the same webhook-id.
                logger.LogError(exception, "Webhook dispatch failed; retrying after the poll interval");
            }

            if (claimed < settings.BatchSize)
            {
                try
                {
                    await Task.Delay(settings.PollInterval, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// The disabled event is already in the feed and queued to the other webhooks; publishing it on the exchange too is
    /// best effort (a broker outage here is logged; the feed store de-duplicates the copy it receives back).
    /// </summary>
    private async Task AnnounceAsync(DisabledWebhook disabled, CancellationToken cancellationToken)
    {
        if (services.GetService<CloudEventPublisher>() is not { } publisher)
        {
            return;
        }

        try
        {
            await publisher.PublishAsync(disabled.Event, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Could not publish {EventId} (webhook {WebhookId} disabled) to the exchange", disabled.Event.Id, disabled.WebhookId);
        }
    }
}

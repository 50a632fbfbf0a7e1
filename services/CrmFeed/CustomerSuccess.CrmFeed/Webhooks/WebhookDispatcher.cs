using CustomerSuccess.CrmFeed.Broker;
using CustomerSuccess.CrmFeed.Deliveries;
using CustomerSuccess.CrmFeed.Envelopes;
using CustomerSuccess.CrmFeed.Store;
using CustomerSuccess.ServiceDefaults;
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
    FeedStore feed,
    WebhookSender sender,
    TimeProvider clock,
    IOptions<CrmFeedOptions> options,
    IServiceProvider services,
    WebhookMetrics metrics,
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
                        try
                        {
                            await AttemptAsync(delivery, schedule, settings, token);
                        }
                        catch (Exception exception) when (!token.IsCancellationRequested)
                        {
                            // Left claimed: attempted again, same webhook-id, once the lease passes.
                            metrics.NotRecorded();
                            logger.LogError(exception, "Recording the attempt of {EventId} to webhook {WebhookId} failed", delivery.EventId, delivery.WebhookId);
                        }
                    });
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The database is unreachable: rows claimed before it went away are attempted again, with the same
                // webhook-id, once their lease passes.
                logger.LogError(exception, "Webhook dispatch failed; retrying after the poll interval");
            }

            await AnnounceAsync(stoppingToken);
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

    private async Task AttemptAsync(ClaimedDelivery delivery, DeliverySchedule schedule, CrmFeedOptions settings, CancellationToken cancellationToken)
    {
        // Linked to the trace of the change the event announces; the POST itself carries this span's traceparent.
        using var span = LinkedSpans.Start("webhook delivery", CloudEventAttributes.TraceParentOf(delivery.Body));
        span?.Activity.SetTag("customersuccess.webhook.id", delivery.WebhookId).SetTag("customersuccess.event.id", delivery.EventId)
            .SetTag("customersuccess.webhook.attempt", delivery.Attempts + 1);
        var outcome = await sender.SendAsync(delivery, cancellationToken);
        span?.Activity.SetTag("http.response.status_code", outcome.StatusCode)
            .SetStatus(outcome.Succeeded ? System.Diagnostics.ActivityStatusCode.Ok : System.Diagnostics.ActivityStatusCode.Error, outcome.Error);
        var next = outcome.Succeeded
            ? null
            : schedule.NextAttempt(delivery.Attempts + 1, outcome.AttemptedAt, outcome.RetryAfter, Random.Shared.NextDouble());
        var disabled = await queue.RecordAsync(delivery, outcome, next, outcome.AttemptedAt - settings.DisableAfter, settings.Service, cancellationToken);
        metrics.Attempted(outcome, outcome.Succeeded ? DeliveryStatus.Delivered : next is null || outcome.Gone ? DeliveryStatus.Failed : DeliveryStatus.Pending);
        if (disabled is not null)
        {
            metrics.Disabled(outcome.Gone ? "gone" : "failing");
            logger.LogWarning("Webhook {WebhookId} disabled: {Reason}", disabled.WebhookId, outcome.Error);
        }
    }

    /// <summary>Publishes the feed's own events (webhook disabled) when this host also has a publisher; a broker outage only delays them.</summary>
    private async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<CloudEventPublisher>() is not { } publisher)
        {
            return;
        }

        try
        {
            await feed.AnnounceAsync(publisher.PublishAsync, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Could not publish the CRM feed's own events to the exchange; retrying on the next poll");
        }
    }
}

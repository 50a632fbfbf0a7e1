using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using CustomerSuccess.CrmFeed.Deliveries;
using CustomerSuccess.CrmFeed.Envelopes;
using CustomerSuccess.CrmFeed.Store;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.CrmFeed.Webhooks;

/// <summary>
/// One delivery attempt: POSTs the stored bytes, signed afresh with the attempt's timestamp, through the
/// <see cref="ClientName"/> client (no redirects, Polly timeout and per-host circuit breaker). Never throws for a
/// receiver's failure: every outcome is something to record.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, TimeProvider clock, IOptions<CrmFeedOptions> options)
{
    public const string ClientName = "crm-feed-webhooks";

    public async Task<AttemptOutcome> SendAsync(ClaimedDelivery delivery, CancellationToken cancellationToken)
    {
        var attemptedAt = clock.GetUtcNow();
        var timestamp = attemptedAt.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url);
        request.Content = new ReadOnlyMemoryContent(delivery.Body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(CloudEventEnvelope.ContentType);
        request.Headers.TryAddWithoutValidation(WebhookSignature.IdHeader, delivery.EventId);
        request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Header(delivery.Secrets, delivery.EventId, timestamp, delivery.Body.Span));
        request.Headers.UserAgent.ParseAdd("CustomerSuccess-Webhooks/1");

        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var excerpt = await ExcerptAsync(response.Content, options.Value.ResponseExcerptBytes, cancellationToken);
            var latency = (int)stopwatch.ElapsedMilliseconds;
            var code = (int)response.StatusCode;
            var retryAfter = DeliverySchedule.RetryAfter(response.Headers.RetryAfter?.Delta, response.Headers.RetryAfter?.Date, clock.GetUtcNow());
            var error = response.IsSuccessStatusCode ? null : $"HTTP {code} {response.ReasonPhrase}".TrimEnd();
            return new AttemptOutcome(attemptedAt, code, latency, error, excerpt, retryAfter);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptOutcome(attemptedAt, null, (int)stopwatch.ElapsedMilliseconds, Describe(exception), null, null);
        }
    }

    private static string Describe(Exception exception)
    {
        var message = exception switch
        {
            Polly.Timeout.TimeoutRejectedException => "The receiver did not answer within the attempt timeout.",
            Polly.CircuitBreaker.BrokenCircuitException => "The circuit for this receiver host is open after repeated failures.",
            _ => exception.GetBaseException().Message,
        };
        return message.Length <= 500 ? message : message[..500];
    }

    /// <summary>At most <paramref name="limit"/> bytes of the body, so a huge or endless response costs nothing.</summary>
    private static async Task<string?> ExcerptAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        if (limit == 0)
        {
            return null;
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[limit];
        var read = 0;
        while (read < limit)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        if (read == 0)
        {
            return null;
        }

        // A cut inside a multi-byte character decodes as U+FFFD rather than failing.
        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}

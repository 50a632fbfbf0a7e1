using System.Net;
using CustomerSuccess.Client;
using CustomerSuccess.Contracts.Http;
using Refit;

namespace CustomerSuccess.Renewal.Health;

/// <summary>Reads the customer's health contributions from HealthScore; never fails the renewal answer.</summary>
public sealed partial class HealthDetailReader(IHealthScoreApi healthScore, ILogger<HealthDetailReader> logger)
{
    public const string Unavailable = "HealthScore did not answer in time; the risk is computed from the health events Renewal holds.";

    public async Task<RenewalHealthDetail> ReadAsync(string customerId, CancellationToken cancellationToken)
    {
        try
        {
            var health = await healthScore.GetHealthAsync(customerId, cancellationToken: cancellationToken);
            return new RenewalHealthDetail(true, null, health.Score, health.Band, health.Quadrant, health.Trend, health.EvaluatedAt, health.Contributions);
        }
        catch (ApiException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return new RenewalHealthDetail(false, "HealthScore has not scored this customer yet.", null, null, null, null, null, []);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Timeouts, refused connections, an open circuit, 5xx after the retries: the answer comes without the detail.
            LogUnavailable(logger, exception, customerId);
            return new RenewalHealthDetail(false, Unavailable, null, null, null, null, null, []);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health detail for {CustomerId} unavailable from HealthScore")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string customerId);
}

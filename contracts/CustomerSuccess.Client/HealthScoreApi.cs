using CustomerSuccess.Contracts.Http;
using Refit;

namespace CustomerSuccess.Client;

/// <summary>HealthScore (default port 5102): needs a key with the <c>read</c> scope.</summary>
public interface IHealthScoreApi
{
    [Get("/v1/customers/{customerId}/health")]
    Task<CustomerHealthResponse> GetHealthAsync(string customerId, [Query] DateTimeOffset? asOf = null, CancellationToken cancellationToken = default);
}

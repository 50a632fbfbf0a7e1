using CustomerSuccess.Contracts.Http;
using Refit;

namespace CustomerSuccess.Client;

/// <summary>Lifecycle (default port 5103): reads need a key with the <c>read</c> scope, pinning and unpinning a tier <c>admin</c>.</summary>
public interface ILifecycleApi
{
    [Get("/v1/customers/{customerId}/lifecycle")]
    Task<CustomerLifecycleResponse> GetLifecycleAsync(string customerId, CancellationToken cancellationToken = default);

    /// <summary>Pins the customer's tier with a reason; the calibrated tier no longer applies until unpinned.</summary>
    [Put("/v1/customers/{customerId}/tier")]
    Task<CustomerLifecycleResponse> PinTierAsync(string customerId, [Body] TierPinRequest pin, CancellationToken cancellationToken = default);

    /// <summary>Removes the pin: the calibrated tier applies again.</summary>
    [Delete("/v1/customers/{customerId}/tier")]
    Task<CustomerLifecycleResponse> UnpinTierAsync(string customerId, [Query] string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Filters use the public names: stage <c>onboarding</c>/…/<c>churned</c>, tier <c>standard</c>/<c>high_potential</c>/<c>key_account</c>.</summary>
    [Get("/v1/lifecycle")]
    Task<LifecycleListResponse> ListLifecycleAsync(
        [Query] string? stage = null, [Query] string? tier = null, [Query] bool? overdue = null, [Query] int? limit = null, [Query] string? after = null,
        CancellationToken cancellationToken = default);

    [Get("/v1/lifecycle/metrics")]
    Task<LifecycleMetricsResponse> GetLifecycleMetricsAsync(
        [Query] DateTimeOffset? from = null, [Query] DateTimeOffset? to = null, CancellationToken cancellationToken = default);
}

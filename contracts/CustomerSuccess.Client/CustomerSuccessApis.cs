using CustomerSuccess.Contracts.Http;
using Refit;

namespace CustomerSuccess.Client;

/// <summary>Ingestion (default port 5101): needs a key with the <c>ingest</c> scope.</summary>
public interface IIngestionApi
{
    /// <summary>Posts 1–1000 envelopes; all or nothing. 202 once every one is committed.</summary>
    [Post("/v1/events")]
    Task<IngestionResult> PostEventsAsync([Body] IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken = default);

    /// <summary>Backfill: an NDJSON body of up to 100k lines; invalid lines are reported, valid ones accepted.</summary>
    [Post("/v1/events/bulk")]
    [Headers("Content-Type: application/x-ndjson")]
    Task<BulkIngestionResult> PostBulkAsync([Body] HttpContent ndjson, CancellationToken cancellationToken = default);
}

/// <summary>Renewal (default port 5104): needs a key with the <c>read</c> scope.</summary>
public interface IRenewalApi
{
    /// <summary>Contracts, window, difficulty and risk; <paramref name="healthDetail"/> false skips the read from HealthScore.</summary>
    [Get("/v1/customers/{customerId}/renewal")]
    Task<CustomerRenewalResponse> GetRenewalAsync(string customerId, [Query] bool? healthDetail = null, CancellationToken cancellationToken = default);

    /// <summary>The worklist, sorted by days to renewal; risk <c>low</c>..<c>critical</c>, tier <c>standard</c>/<c>high_potential</c>/<c>key_account</c>.</summary>
    [Get("/v1/renewals")]
    Task<RenewalListResponse> ListRenewalsAsync(
        [Query] int? dueWithinDays = null, [Query] string? risk = null, [Query] string? tier = null,
        [Query] int? limit = null, [Query] string? after = null, CancellationToken cancellationToken = default);

    /// <summary>Portfolio metrics per currency over [<paramref name="from"/>, <paramref name="to"/>), dates as <c>yyyy-MM-dd</c>.</summary>
    [Get("/v1/portfolio/metrics")]
    Task<PortfolioMetricsResponse> GetPortfolioMetricsAsync([Query] string from, [Query] string to, CancellationToken cancellationToken = default);
}

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
    [Get("/v1/customers/{customerId}/renewal")]
    Task<CustomerRenewalResponse> GetRenewalAsync(string customerId, CancellationToken cancellationToken = default);
}

using CustomerSuccess.Contracts.Events;
using CustomerSuccess.ServiceDefaults.EventStore;
using Marten;

namespace CustomerSuccess.HealthScore.Scoring;

/// <summary>Keeps the scoring facts of ingested events and re-evaluates each customer they touch.</summary>
public sealed class HealthFactsConsumer(IDocumentStore store, TimeProvider time) : CustomerEventsConsumer(store, time)
{
    protected override bool Keeps(CustomerEvent customerEvent) => CustomerHealthEvaluator.IsFact(customerEvent);

    protected override Task ApplyAsync(IDocumentSession session, string customerId, IReadOnlyList<CustomerEvent> events, DateTimeOffset now, CancellationToken cancellationToken) =>
        CustomerHealthEvaluator.RecordAsync(session, customerId, events, now, cancellationToken);
}

using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Messaging;
using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.HealthScore.Domain;
using CustomerSuccess.HealthScore.ScoringModels;
using Marten;

namespace CustomerSuccess.HealthScore.Scoring;

/// <summary>Keeps the scoring facts of ingested events and re-evaluates each customer they touch with the current model.</summary>
public sealed class HealthFactsConsumer(IDocumentStore store, TimeProvider time, CurrentScoringModel models, CustomerStreamLocks locks, GroupCommits commits)
    : CustomerEventsConsumer(store, time, commits)
{
    protected override async Task<IDisposable?> EnterAsync(IReadOnlyList<CustomerEvents> customers, CancellationToken cancellationToken) =>
        await locks.EnterAsync(customers.Select(c => c.CustomerId), cancellationToken);

    protected override bool Keeps(CustomerEvent customerEvent) => CustomerFacts.IsFact(customerEvent);

    protected override Task ApplyAsync(IDocumentSession session, string customerId, IReadOnlyList<CustomerEvent> events, DateTimeOffset now, CancellationToken cancellationToken) =>
        ApplyAsync(session, [new CustomerEvents(customerId, events)], now, cancellationToken);

    // All the customers of a page at once: their rollups and health are read in one round trip.
    protected override async Task ApplyAsync(IDocumentSession session, IReadOnlyList<CustomerEvents> customers, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await CustomerHealthEvaluator.RecordAsync(
            session, customers.Select(c => new CustomerChanges(c.CustomerId, c.Events)).ToList(), models, now, cancellationToken);
    }
}

/// <summary>Receives on <see cref="QueueNames.HealthScoreFacts"/>, the queue deployed brokers hold for this consumer.</summary>
public sealed class HealthFactsConsumerDefinition() : GroupCommitDefinition<HealthFactsConsumer>(QueueNames.HealthScoreFacts);

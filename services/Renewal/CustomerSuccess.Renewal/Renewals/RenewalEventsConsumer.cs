using CustomerSuccess.Contracts.Events;
using CustomerSuccess.EventSourcing.EventStore;
using Marten;

namespace CustomerSuccess.Renewal.Renewals;

/// <summary>Keeps contract and invoice events in the customer's Renewal stream.</summary>
public sealed class RenewalEventsConsumer(IDocumentStore store, TimeProvider time) : CustomerEventsConsumer(store, time)
{
    /// <summary>The ingested event types Renewal keeps.</summary>
    public static readonly IReadOnlySet<Type> KeptTypes = new HashSet<Type>
    {
        typeof(ContractSigned), typeof(ContractAmended), typeof(ContractRenewed), typeof(ContractCancelled), typeof(InvoiceIssued), typeof(InvoicePaid),
    };

    protected override bool Keeps(CustomerEvent customerEvent) => KeptTypes.Contains(customerEvent.GetType());

    protected override async Task ApplyAsync(IDocumentSession session, string customerId, IReadOnlyList<CustomerEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForWriting<CustomerRenewal>(customerId, cancellationToken);
        stream.AppendMany(events.OrderBy(e => e.OccurredAt).ToArray<object>());
    }
}

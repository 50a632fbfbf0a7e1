using CustomerSuccess.Renewal.Domain;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace CustomerSuccess.Renewal.Renewals;

/// <summary>
/// Keeps each customer's <see cref="CustomerRenewal"/> document inline with its stream, through the domain's own evolve
/// function, so the decider and the queries read the same state. Dropping and rebuilding it gives the same documents.
/// </summary>
public sealed class CustomerRenewalProjection : SingleStreamProjection<CustomerRenewal, string>
{
    public override CustomerRenewal? Evolve(CustomerRenewal? snapshot, string id, IEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        // Only this stream's own events make a document: Marten's tombstone events (written to fill the sequence where
        // an append failed) or any other stranger must not conjure one up, least of all during a rebuild.
        if (!RenewalEvolution.EventTypes.Contains(e.Data.GetType()))
        {
            return snapshot;
        }

        var facts = snapshot ?? new CustomerRenewal { Id = id };
        facts.Evolve(e.Data);
        return facts;
    }
}

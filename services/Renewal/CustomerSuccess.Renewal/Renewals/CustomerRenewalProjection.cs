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
    public override CustomerRenewal Evolve(CustomerRenewal? snapshot, string id, IEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var facts = snapshot ?? new CustomerRenewal { Id = id };
        facts.Evolve(e.Data);
        return facts;
    }
}

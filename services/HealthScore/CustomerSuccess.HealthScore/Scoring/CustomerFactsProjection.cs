using CustomerSuccess.Contracts.Events;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace CustomerSuccess.HealthScore.Scoring;

/// <summary>
/// Keeps the <see cref="CustomerFacts"/> rollup of each customer's stream (inline, so an evaluation reads one
/// bounded document instead of the whole history). Dropping and rebuilding it gives the same rollup.
/// </summary>
public sealed class CustomerFactsProjection : SingleStreamProjection<CustomerFacts, string>
{
    public override CustomerFacts Evolve(CustomerFacts? snapshot, string id, IEvent e)
    {
        var facts = snapshot ?? new CustomerFacts { Id = id };
        if (e.Data is CustomerEvent fact)
        {
            facts.Record(fact);
        }

        return facts;
    }
}

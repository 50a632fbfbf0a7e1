using CustomerSuccess.EventSourcing.Observability;
using CustomerSuccess.Renewal.Domain;
using JasperFx.Events;
using Marten;

namespace CustomerSuccess.Renewal.Renewals;

/// <summary>
/// The edge between the pure decider and the store: appends a customer's new facts and whatever the decider decides on
/// the state they lead to (windows opened, a changed risk), in the caller's session. Marten's optimistic check on the
/// stream version makes a concurrent write fail the commit instead of deciding on a stale state.
/// </summary>
public static class RenewalRecorder
{
    public static async Task<IReadOnlyList<object>> RecordAsync(
        IDocumentSession session, string customerId, IReadOnlyList<object> facts, RenewalSettings settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var stream = await session.Events.FetchForWriting<CustomerRenewal>(customerId, cancellationToken);
        return Append(stream, customerId, facts, settings, now);
    }

    public static IReadOnlyList<object> Append(IEventStream<CustomerRenewal> stream, string customerId, IReadOnlyList<object> facts, RenewalSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var state = stream.Aggregate ?? new CustomerRenewal { Id = customerId };
        if (string.IsNullOrEmpty(state.Id))
        {
            state.Id = customerId;
        }

        var appended = RenewalDecider.Record(state, facts, settings, now);
        if (appended.Count > 0)
        {
            stream.AppendMany(appended.ToArray());
            // The changes the relay publishes, counted where they are appended.
            EmittedChanges.Count("risk", appended.Count(e => e is RiskAssessed));
            EmittedChanges.Count("renewal_window", appended.Count(e => e is RenewalWindowOpenedRecorded));
        }

        return appended;
    }
}

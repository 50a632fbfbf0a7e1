using CustomerSuccess.Lifecycle.Domain;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace CustomerSuccess.Lifecycle.Stages;

/// <summary>
/// Keeps each customer's <see cref="LifecycleHistory"/> (inline, so a decision or a read loads one document instead of
/// the stream). The history's own <see cref="LifecycleHistory.Evolve"/> does the work: the pure library carries no
/// store types, so it is wired here explicitly. Dropping and rebuilding it gives the same document.
/// </summary>
public sealed class LifecycleHistoryProjection : SingleStreamProjection<LifecycleHistory, string>
{
    public override LifecycleHistory? Evolve(LifecycleHistory? snapshot, string id, IEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        // Only this stream's own events make a document: Marten's tombstone events (written to fill the sequence where
        // an append failed) or any other stranger must not conjure one up, least of all during a rebuild.
        if (!LifecycleHistory.EventTypes.Contains(e.Data.GetType()))
        {
            return snapshot;
        }

        var history = snapshot ?? new LifecycleHistory { Id = id };
        history.Evolve(e.Data);
        return history;
    }
}

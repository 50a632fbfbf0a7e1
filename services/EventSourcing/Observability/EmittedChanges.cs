using System.Diagnostics.Metrics;

namespace CustomerSuccess.EventSourcing.Observability;

/// <summary>
/// Counts the changes a service appends for publication (stage, tier, risk, …), where the recorder appends them. The
/// recorders are pure static edges, hence one process-wide meter. A transaction that fails on a concurrent write and is
/// retried counts its changes again: the counter tracks decisions made, the relay's lag tracks what is still to publish.
/// </summary>
public static class EmittedChanges
{
    public const string MeterName = "CustomerSuccess.Changes";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Emitted = Meter.CreateCounter<long>("customersuccess.changes.emitted", "{change}",
        "Changes appended for publication, by kind (stage, tier, milestone_overdue, risk, renewal_window).");

    public static void Count(string kind, long count = 1)
    {
        if (count > 0)
        {
            Emitted.Add(count, new KeyValuePair<string, object?>("customersuccess.change.kind", kind));
        }
    }
}

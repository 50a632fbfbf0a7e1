using CustomerSuccess.Contracts.Messaging;

namespace CustomerSuccess.LoadGenerator;

/// <summary>
/// <c>wire-names</c>: the broker names the scripts need (deploy/faults.sh poisons each consumer's main queue with a
/// batch of this message type), as <c>key=value</c> lines, from their one definition in the contracts
/// (<see cref="QueueNames"/>, <see cref="MessageNames"/>), so no script types them.
/// </summary>
public static class WireNamesCommand
{
    public static IReadOnlyList<KeyValuePair<string, string>> Names() =>
    [
        .. QueueNames.IngestedEventsByService.OrderBy(q => q.Key, StringComparer.Ordinal)
            .Select(q => new KeyValuePair<string, string>($"queue.{q.Key}", q.Value)),
        new("urn.customer-events-ingested", MessageNames.CustomerEventsIngestedUrn),
    ];

    public static int Run()
    {
        foreach (var (key, value) in Names())
        {
            Console.WriteLine($"{key}={value}");
        }

        return 0;
    }
}

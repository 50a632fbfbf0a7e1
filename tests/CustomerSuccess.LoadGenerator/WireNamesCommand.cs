using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore;
using CustomerSuccess.HealthScore.Scoring;
using CustomerSuccess.Lifecycle;
using CustomerSuccess.Lifecycle.Stages;
using CustomerSuccess.Renewal;
using CustomerSuccess.Renewal.Renewals;
using MassTransit;

namespace CustomerSuccess.LoadGenerator;

/// <summary>
/// <c>wire-names</c>: the broker names the scripts need (deploy/faults.sh poisons each consumer's main queue with a
/// batch of this message type), as <c>key=value</c> lines, derived the way the services derive them
/// (<c>{service}-{consumer}</c>, kebab case, as AddMessaging configures) so no script types them.
/// </summary>
public static class WireNamesCommand
{
    public static IReadOnlyList<KeyValuePair<string, string>> Names() =>
    [
        new("queue.healthscore", QueueOf<HealthFactsConsumer>(HealthScoreServices.ServiceName)),
        new("queue.lifecycle", QueueOf<LifecycleEventsConsumer>(LifecycleServices.ServiceName)),
        new("queue.renewal", QueueOf<RenewalEventsConsumer>(RenewalServices.ServiceName)),
        new("urn.customer-events-ingested", MessageUrn.ForTypeString<CustomerEventsIngested>()),
    ];

    public static int Run()
    {
        foreach (var (key, value) in Names())
        {
            Console.WriteLine($"{key}={value}");
        }

        return 0;
    }

    private static string QueueOf<TConsumer>(string serviceName)
        where TConsumer : class, IConsumer =>
        new KebabCaseEndpointNameFormatter(serviceName, false).Consumer<TConsumer>();
}

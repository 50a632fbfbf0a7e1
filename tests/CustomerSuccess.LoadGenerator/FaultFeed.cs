using CustomerSuccess.HealthScore.Scoring;
using CustomerSuccess.Lifecycle.Domain;
using CustomerSuccess.Renewal.Domain;
using Npgsql;
using RabbitMQ.Client;

namespace CustomerSuccess.LoadGenerator;

/// <summary>
/// The fault suite's CRM feed reckoning, run with the services stopped: every service event the CRM feed carries
/// (the CloudEvent id is the Marten event id) reached a queue bound to the integration exchange at least once (more
/// often only as the same id) and is in Renewal's feed store exactly once — so no risk, health, stage, tier or
/// window change was lost or doubled across the kills.
/// </summary>
public static class FaultFeed
{
    /// <summary>One CRM feed channel: the stored events of one type in one service's schema (and which of them are sent).</summary>
    private sealed record Channel(string Name, string Schema, Type EventType, string Where = "true");

    private static readonly Channel[] Channels =
    [
        // Only significant evaluations become health.changed.
        new("health.changed", "healthscore", typeof(HealthEvaluated), "data->>'Significant' = 'true'"),
        new("stage.changed", "lifecycle", typeof(StageChanged)),
        new("tier.changed", "lifecycle", typeof(TierChanged)),
        new("risk.changed", "renewal", typeof(RiskAssessed)),
        new("renewal.window_opened", "renewal", typeof(RenewalWindowOpenedRecorded)),
    ];

    /// <summary>The feed store's table: Renewal hosts the CRM feed in its own schema.</summary>
    private const string FeedTable = "renewal.crm_feed_events";

    public static async Task<int> RunAsync(Arguments arguments, CancellationToken cancellationToken)
    {
        var tapped = await DrainTapAsync(new Uri(arguments.Require("rabbitmq")), arguments.Require("tap-queue"), cancellationToken);
        await using var connection = new NpgsqlConnection(arguments.Require("postgres"));
        await connection.OpenAsync(cancellationToken);
        var inFeed = await CountsAsync(connection, $"SELECT id, count(*) FROM {FeedTable} GROUP BY 1", cancellationToken);
        Console.WriteLine($"tap queue: {tapped.Values.Sum()} messages, {tapped.Count} distinct ids; feed store: {inFeed.Count} distinct ids");

        var failed = 0;
        var allStored = new HashSet<string>(StringComparer.Ordinal);
        foreach (var channel in Channels)
        {
            var stored = await CountsAsync(
                connection,
                $"SELECT id::text, count(*) FROM {channel.Schema}.mt_events WHERE mt_dotnet_type LIKE '{channel.EventType.FullName}, %' AND {channel.Where} GROUP BY 1",
                cancellationToken);
            allStored.UnionWith(stored.Keys);
            var notTapped = stored.Keys.Where(id => !tapped.ContainsKey(id)).ToList();
            var redelivered = stored.Keys.Count(id => tapped.GetValueOrDefault(id) > 1);
            var notInFeed = stored.Keys.Where(id => !inFeed.ContainsKey(id)).ToList();
            var doubledInFeed = stored.Keys.Where(id => inFeed.GetValueOrDefault(id) > 1).ToList();
            Console.WriteLine($"  {channel.Name,-22} {stored.Count,7} events in {channel.Schema}: {notTapped.Count} not on the exchange, {redelivered} published again with the same id; "
                + $"{notInFeed.Count} not in the feed store, {doubledInFeed.Count} there more than once");
            failed += Check($"crm feed {channel.Name} on the exchange", notTapped.Count == 0,
                $"{stored.Count - notTapped.Count} of {stored.Count} reached the tap queue{Sample(notTapped)}");
            failed += Check($"crm feed {channel.Name} in the feed store once", notInFeed.Count == 0 && doubledInFeed.Count == 0,
                $"{notInFeed.Count} missing{Sample(notInFeed)}, {doubledInFeed.Count} doubled{Sample(doubledInFeed)}");
        }

        // The one webhook of the fault run never fails for days, so every CloudEvent on the exchange is one of the events above.
        var foreign = tapped.Keys.Where(id => !allStored.Contains(id)).ToList();
        failed += Check("crm feed exchange carries only stored service events", foreign.Count == 0,
            $"{foreign.Count} of {tapped.Count} ids on the tap queue are no stored event{Sample(foreign)}");

        // The webhook channel: every CloudEvent of the feed store reached the receiver (again only with the same id).
        if (arguments.GetOrNull("webhook-log") is { } webhookLog)
        {
            var delivered = File.ReadLines(webhookLog).Where(l => l.Length > 0).GroupBy(l => l, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var notDelivered = inFeed.Keys.Where(id => !delivered.ContainsKey(id)).ToList();
            var unknown = delivered.Keys.Where(id => !inFeed.ContainsKey(id)).ToList();
            Console.WriteLine($"  webhook receiver: {delivered.Values.Sum()} deliveries, {delivered.Count} distinct ids; {notDelivered.Count} feed events not delivered, "
                + $"{delivered.Count(d => d.Value > 1)} delivered again with the same id, {unknown.Count} ids not in the feed store");
            failed += Check("crm feed webhook delivered every feed event", notDelivered.Count == 0 && unknown.Count == 0,
                $"{inFeed.Count - notDelivered.Count} of {inFeed.Count} delivered{Sample(notDelivered)}, {unknown.Count} unknown ids{Sample(unknown)}");
        }
        return failed == 0 ? 0 : 1;
    }

    /// <summary>One line per check, for deploy/faults.sh to count: "check ok|fail &lt;what&gt;: &lt;detail&gt;".</summary>
    private static int Check(string what, bool ok, string detail)
    {
        Console.WriteLine($"check {(ok ? "ok" : "fail")} {what}: {detail}");
        return ok ? 0 : 1;
    }

    private static string Sample(List<string> ids) => ids.Count == 0 ? "" : $" (e.g. {string.Join(", ", ids.Take(3))})";

    /// <summary>Every message on the tap queue, by CloudEvent id (the AMQP message id) with how often it came.</summary>
    private static async Task<Dictionary<string, int>> DrainTapAsync(Uri rabbitMq, string queue, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = rabbitMq };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await channel.BasicGetAsync(queue, autoAck: true, cancellationToken) is { } message)
        {
            var id = message.BasicProperties.MessageId ?? "(no message id)";
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }

        return counts;
    }

    private static async Task<Dictionary<string, int>> CountsAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = (int)reader.GetInt64(1);
        }

        return counts;
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Domain;
using CustomerSuccess.Lifecycle.Stages;
using CustomerSuccess.Renewal.Renewals;
using Npgsql;

namespace CustomerSuccess.LoadGenerator;

/// <summary>
/// The fault suite's reckoning: every envelope answered 202 must be in Ingestion's log once and in each service that
/// keeps its type once — compared by envelope id straight in each service's schema. Prints (and writes as markdown)
/// one row per fault: accepted, lost, doubled, recovery time.
/// </summary>
public static class FaultReconcile
{
    /// <summary>
    /// The envelope types each place keeps: Ingestion's log all of them, each consuming service what its consumer keeps.
    /// What the services actually stored is checked against this too, so a stored id of a type its service does not keep
    /// is reported.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> KeptTypes = new Dictionary<string, IReadOnlySet<string>>
    {
        ["ingestion"] = WireNames(CustomerEventTypes.Names.Keys),
        ["healthscore"] = WireNames(CustomerFacts.FactTypes),
        ["lifecycle"] = WireNames(LifecycleEventsConsumer.KeptTypes),
        ["renewal"] = WireNames(RenewalEventsConsumer.KeptTypes),
    };

    private static HashSet<string> WireNames(IEnumerable<Type> types) => types.Select(t => CustomerEventTypes.Names[t]).ToHashSet(StringComparer.Ordinal);

    private sealed record Sent(string Id, string Type, string Phase);

    private sealed class PhaseTally
    {
        public long Accepted { get; set; }
        public long Lost { get; set; }
        public long Doubled { get; set; }
        public List<string> Details { get; } = [];
    }

    public static async Task<int> RunAsync(Arguments arguments, CancellationToken cancellationToken)
    {
        var phases = arguments.Require("phases").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var faults = arguments.Get("faults", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var accepted = ReadSent(arguments.Require("accepted-file"));
        var unanswered = ReadSent(arguments.Require("unanswered-file"));
        var recovery = ReadRecovery(arguments.GetOrNull("recovery-file"));
        // How each SIGTERM'd service exited (seconds, exit code, errors logged), written by deploy/faults.sh.
        var shutdown = ReadRecovery(arguments.GetOrNull("shutdown-file"));

        // The services may still be draining their queues: wait (with a deadline) until nothing accepted is missing.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(arguments.GetInt("wait-seconds", 0));
        var stored = await StoredCountsAsync(arguments.Require("postgres"), cancellationToken);
        while (Missing(accepted, stored) is var missing && missing > 0 && DateTimeOffset.UtcNow < deadline)
        {
            Console.WriteLine($"  {missing} (envelope, service) pairs not applied yet; waiting");
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            stored = await StoredCountsAsync(arguments.Require("postgres"), cancellationToken);
        }

        var tallies = phases.ToDictionary(p => p, _ => new PhaseTally(), StringComparer.Ordinal);
        var problems = new List<string>();
        var acceptedIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sent in accepted)
        {
            if (!acceptedIds.Add(sent.Id))
            {
                continue; // answered twice (a retried batch): one envelope all the same
            }

            if (!tallies.TryGetValue(sent.Phase, out var tally))
            {
                tallies[sent.Phase] = tally = new PhaseTally();
            }

            tally.Accepted++;
            foreach (var (service, kept) in KeptTypes)
            {
                if (!kept.Contains(sent.Type))
                {
                    continue;
                }

                var count = stored[service].GetValueOrDefault(sent.Id);
                if (count == 0)
                {
                    tally.Lost++;
                    AddDetail(tally, $"lost in {service}: {sent.Id} ({sent.Type})");
                }
                else if (count > 1)
                {
                    tally.Doubled++;
                    AddDetail(tally, $"{count}× in {service}: {sent.Id} ({sent.Type})");
                }
            }
        }

        // Stored ids nobody was told were accepted: fine when the client gave up on their batch (the log committed, the
        // answer was lost); anything else, or an id in a service that does not keep its type, is a finding.
        var typeOf = accepted.Concat(unanswered).GroupBy(s => s.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Type, StringComparer.Ordinal);
        long appliedButUnanswered = 0;
        foreach (var (service, counts) in stored)
        {
            foreach (var (id, count) in counts)
            {
                if (!typeOf.TryGetValue(id, out var type))
                {
                    problems.Add($"{service} holds {id}, which the load never sent");
                    continue;
                }

                if (!KeptTypes[service].Contains(type))
                {
                    problems.Add($"{service} holds {id} of type {type}, which that service does not keep");
                }

                if (!acceptedIds.Contains(id))
                {
                    appliedButUnanswered++;
                    if (count > 1)
                    {
                        problems.Add($"{count}× in {service}: {id} (never answered 202)");
                    }
                }
            }
        }

        var table = new StringBuilder();
        table.AppendLine("| fault | events accepted | lost | doubled | recovery | SIGTERM → exit |");
        table.AppendLine("|---|---|---|---|---|---|");
        foreach (var (phase, tally) in tallies)
        {
            var recovered = recovery.TryGetValue(phase, out var seconds) ? seconds : "–";
            var exited = shutdown.TryGetValue(phase, out var exit) ? exit : "–";
            table.AppendLine(CultureInfo.InvariantCulture, $"| {FaultName(phase)} | {tally.Accepted} | {tally.Lost} | {tally.Doubled} | {recovered} | {exited} |");
        }

        var total = tallies.Values.Aggregate((Accepted: 0L, Lost: 0L, Doubled: 0L), (s, t) => (s.Accepted + t.Accepted, s.Lost + t.Lost, s.Doubled + t.Doubled));
        table.AppendLine(CultureInfo.InvariantCulture, $"| **all** | {total.Accepted} | {total.Lost} | {total.Doubled} | | |");
        table.AppendLine();
        table.AppendLine(CultureInfo.InvariantCulture,
            $"Lost/doubled count (envelope, place) pairs over Ingestion's log and the services that keep the envelope's type. Never answered 202 (client gave up): {unanswered.Count}; stored although never answered 202: {appliedButUnanswered}.");
        foreach (var detail in tallies.Values.SelectMany(t => t.Details).Concat(problems).Take(50))
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"- {detail}");
        }

        Console.Write(table);
        if (arguments.GetOrNull("out") is { } output)
        {
            await File.WriteAllTextAsync(output, table.ToString(), cancellationToken);
        }

        // One line per check, for deploy/faults.sh to count: "check ok|fail <what>: <detail>".
        var checksFailed = 0;
        foreach (var fault in faults)
        {
            var tally = tallies.GetValueOrDefault(fault) ?? new PhaseTally();
            var recovered = recovery.TryGetValue(fault, out var seconds) && !seconds.StartsWith("not", StringComparison.Ordinal);
            Check(tally.Accepted > 0 && tally.Lost == 0 && tally.Doubled == 0 && recovered,
                $"{FaultName(fault)}: nothing lost or doubled, recovered",
                $"{tally.Accepted} accepted, {tally.Lost} lost, {tally.Doubled} doubled, recovery {(recovered ? seconds : "none")}");
        }

        Check(total.Lost == 0 && total.Doubled == 0 && problems.Count == 0 && total.Accepted > 0,
            "every envelope answered 202 applied exactly once where its type is kept (all phases)",
            $"{total.Accepted} accepted, {total.Lost} lost, {total.Doubled} doubled, {problems.Count} other findings");

        if (arguments.GetOrNull("management") is { } management)
        {
            var poisoned = arguments.Require("poisoned").Split(',', StringSplitOptions.RemoveEmptyEntries);
            var unexpected = await UnexpectedDeadLettersAsync(
                new Uri(management), arguments.Require("vhost"), poisoned, arguments.GetInt("poison-per-queue", 1), cancellationToken);
            Check(unexpected.Count == 0, "error queues hold exactly the poisoned messages",
                unexpected.Count == 0 ? $"{arguments.GetInt("poison-per-queue", 1)} in each of {string.Join(", ", poisoned.Select(q => q + "_error"))}, nothing elsewhere" : string.Join("; ", unexpected));
        }

        return checksFailed == 0 ? 0 : 1;

        void Check(bool ok, string what, string detail)
        {
            if (!ok)
            {
                checksFailed++;
            }

            Console.WriteLine($"check {(ok ? "ok" : "fail")} {what}: {detail}");
        }
    }

    /// <summary>A phase as the table names it: <c>sigterm-lifecycle</c> → "SIGTERM lifecycle", a kill → "kill -9 renewal".</summary>
    private static string FaultName(string phase) => phase switch
    {
        "warmup" or "cooldown" => phase,
        _ when phase.StartsWith("sigterm-", StringComparison.Ordinal) => $"SIGTERM {phase["sigterm-".Length..]}",
        _ => $"kill -9 {phase}",
    };

    private static long Missing(List<Sent> accepted, Dictionary<string, Dictionary<string, int>> stored) =>
        accepted.DistinctBy(s => s.Id).Sum(sent => KeptTypes.Count(kept => kept.Value.Contains(sent.Type) && stored[kept.Key].GetValueOrDefault(sent.Id) == 0));

    /// <summary>
    /// Error and skipped queues against the poison sent on purpose: each poisoned queue's <c>_error</c> queue holds
    /// exactly <paramref name="perQueue"/> messages, every other <c>_error</c>/<c>_skipped</c> queue is empty.
    /// </summary>
    private static async Task<List<string>> UnexpectedDeadLettersAsync(Uri management, string vhost, string[] poisoned, int perQueue, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = management };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        var findings = new List<string>();
        // The management API refreshes counts every few seconds: read until they settle on the expectation or time is up.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            findings.Clear();
            using var queues = JsonDocument.Parse(await http.GetStringAsync($"api/queues/{Uri.EscapeDataString(vhost)}?columns=name,messages", cancellationToken));
            var counts = queues.RootElement.EnumerateArray().ToDictionary(
                q => q.GetProperty("name").GetString()!,
                q => q.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt32() : 0,
                StringComparer.Ordinal);
            foreach (var queue in poisoned)
            {
                var n = counts.GetValueOrDefault(queue + "_error");
                if (n != perQueue)
                {
                    findings.Add($"{queue}_error holds {n}, expected {perQueue}");
                }
            }

            foreach (var (name, n) in counts)
            {
                if ((name.EndsWith("_error", StringComparison.Ordinal) || name.EndsWith("_skipped", StringComparison.Ordinal))
                    && !poisoned.Contains(name[..name.LastIndexOf('_')], StringComparer.Ordinal) && n != 0)
                {
                    findings.Add($"{name} holds {n}");
                }
            }

            if (findings.Count == 0 || DateTimeOffset.UtcNow > deadline)
            {
                return findings;
            }

            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }

    private static void AddDetail(PhaseTally tally, string detail)
    {
        if (tally.Details.Count < 10)
        {
            tally.Details.Add(detail);
        }
    }

    private static List<Sent> ReadSent(string paths) => paths.Split(',', StringSplitOptions.RemoveEmptyEntries)
        .Where(File.Exists)
        .SelectMany(File.ReadLines)
        .Select(line => line.Split('\t'))
        .Where(parts => parts.Length == 3)
        .Select(parts => new Sent(parts[0], parts[1], parts[2]))
        .ToList();

    private static Dictionary<string, string> ReadRecovery(string? path) => path is null || !File.Exists(path)
        ? new Dictionary<string, string>(StringComparer.Ordinal)
        : File.ReadLines(path)
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);

    /// <summary>Per service: how many times each envelope id is in its event streams.</summary>
    private static async Task<Dictionary<string, Dictionary<string, int>>> StoredCountsAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var result = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var service in KeptTypes.Keys)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            await using var command = new NpgsqlCommand(
                // Ingested envelopes only (the contracts' CustomerEvent types): a service's own events (a recorded health
                // change, a risk decision) may carry another service's event id, which is no envelope.
                $"SELECT data->>'EventId', count(*) FROM {service}.mt_events WHERE data ? 'EventId' AND mt_dotnet_type LIKE '{typeof(CustomerEvent).Namespace}.%' GROUP BY 1",
                connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                counts[reader.GetString(0)] = (int)reader.GetInt64(1);
            }

            result[service] = counts;
        }

        return result;
    }
}

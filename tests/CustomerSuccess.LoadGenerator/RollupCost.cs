using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore;
using CustomerSuccess.HealthScore.Domain;
using CustomerSuccess.HealthScore.Scoring;
using CustomerSuccess.Ingestion.Envelopes;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CustomerSuccess.LoadGenerator;

/// <summary>
/// <c>rollup-cost [--customers 200] [--history-days 30,365] [--density 10] [--page-facts 5] [--rounds 5] [--seed 42]</c>:
/// what HealthScore's consumer does per customer and page, timed stage by stage without a database or a broker, for a
/// rollup of each history length. The rollups are the benchmark's history (<c>--density</c> envelopes per customer and
/// day of the synthetic data set, as <c>benchmark.sh --history-density</c>, recorded as the projection does); a page's
/// facts are each customer's last <c>--page-facts</c> facts, held back from its rollup. Stages: deserialise the stored rollup with the service's own
/// Marten serializer, <c>Copy</c>, record the page's facts, <c>Evaluate</c>, serialise. Each stage runs over every
/// customer in turn, after a full garbage collection, and is timed in CPU time of this thread (so other processes on the
/// machine do not count); the figure is the best of <c>--rounds</c> rounds, per customer and page. Bytes allocated per
/// page (all stages) are counted too: they do not depend on the machine's load at all.
/// </summary>
public static class RollupCost
{
    public static Task<int> RunAsync(Arguments arguments)
    {
        var customers = arguments.GetInt("customers", 200);
        var density = arguments.GetInt("density", 10);
        var pageFacts = arguments.GetInt("page-facts", 5);
        var rounds = arguments.GetInt("rounds", 5);
        var historyDays = arguments.Get("history-days", "30,365").Split(',').Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToList();
        var serializer = ServiceSerializer();
        var model = ScoringModel.Default;

        Console.WriteLine(Invariant($"HealthScore rollup cost per customer and page ({customers} customers, {density} envelopes per customer and day, {pageFacts} facts per page, best of {rounds} rounds, thread CPU time)"));
        Console.WriteLine("| history days | document KiB (mean) | usage days | deserialise µs | copy µs | record µs | evaluate µs | serialise µs | total µs | KiB allocated | results digest |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var days in historyDays)
        {
            var (rollups, pages, asOf) = Build(arguments.GetInt("seed", 42), customers, days, density, pageFacts);
            var documents = rollups.Select(r => Encoding.UTF8.GetBytes(serializer.ToJson(r))).ToList();
            var best = new double[5];
            Array.Fill(best, double.MaxValue);
            var digest = "";
            var allocated = 0L;
            for (var round = 0; round < rounds; round++)
            {
                var fetched = new CustomerFacts[customers];
                var copies = new CustomerFacts[customers];
                var results = new HealthResult[customers];
                var stored = new string[customers];
                var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                var times = new[]
                {
                    Time(() => { for (var i = 0; i < customers; i++) { fetched[i] = serializer.FromJson<CustomerFacts>(new MemoryStream(documents[i])); } }),
                    Time(() => { for (var i = 0; i < customers; i++) { copies[i] = fetched[i].Copy(); } }),
                    Time(() => { for (var i = 0; i < customers; i++) { foreach (var fact in pages[i]) { CustomerFactsProjection.Record(copies[i], fact); } } }),
                    Time(() => { for (var i = 0; i < customers; i++) { results[i] = HealthEvaluation.Evaluate(copies[i], model, asOf); } }),
                    Time(() => { for (var i = 0; i < customers; i++) { stored[i] = serializer.ToJson(copies[i]); } }),
                };
                allocated = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / customers;
                for (var s = 0; s < times.Length; s++)
                {
                    best[s] = Math.Min(best[s], times[s] / customers);
                }

                // The same scores for the same facts: compare this column before and after a change.
                digest = Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(results)))[..12];
                GC.KeepAlive(stored);
            }

            Console.WriteLine(Invariant(
                $"| {days} | {documents.Average(d => d.Length) / 1024.0:F1} | {rollups.Average(r => r.UsageDays.Count):F0} | {best[0]:F1} | {best[1]:F1} | {best[2]:F1} | {best[3]:F1} | {best[4]:F1} | {best.Sum():F1} | {allocated / 1024.0:F0} | {digest} |"));
        }

        return Task.FromResult(0);
    }

    /// <summary>
    /// Each customer's rollup after <paramref name="days"/> days of the benchmark's history (<c>seed-store</c>'s
    /// envelopes), but for its last <paramref name="pageFacts"/> facts, which are its next page; and the instant of the
    /// newest fact, as of which the consumer evaluates.
    /// </summary>
    private static (List<CustomerFacts> Rollups, List<List<CustomerEvent>> Pages, DateTimeOffset AsOf) Build(int seed, int customers, int days, int density, int pageFacts)
    {
        var until = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        var generator = new SyntheticCustomers(seed, customers, (long)customers * days * density, until, "t", days, "h");
        var ingestion = new IngestionOptions { MaxClockSkew = TimeSpan.FromDays(1) };
        var rollups = Enumerable.Range(0, customers).Select(i => new CustomerFacts { Id = generator.CustomerId(i) }).ToList();
        var held = Enumerable.Range(0, customers).Select(_ => new Queue<CustomerEvent>()).ToList();
        var index = Enumerable.Range(0, customers).ToDictionary(generator.CustomerId, i => i, StringComparer.Ordinal);
        var asOf = DateTimeOffset.MinValue;
        foreach (var envelope in generator.Generate())
        {
            var fact = StoreSeeder.ToEvent(envelope, ingestion);
            if (!CustomerFacts.IsFact(fact))
            {
                continue;
            }

            var i = index[fact.CustomerId];
            held[i].Enqueue(fact);
            if (held[i].Count > pageFacts)
            {
                CustomerFactsProjection.Record(rollups[i], held[i].Dequeue());
            }

            asOf = fact.OccurredAt > asOf ? fact.OccurredAt : asOf;
        }

        return (rollups, held.ConvertAll(q => q.ToList()), asOf);
    }

    /// <summary>The serializer of HealthScore's own Marten configuration (the store is built, never connected).</summary>
    private static ISerializer ServiceSerializer()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Username=none;Database=none",
            ["Logging:LogLevel:Default"] = "Warning",
            ["RabbitMq:Uri"] = "amqp://guest:guest@127.0.0.1:1/",
        });
        builder.AddHealthScore();
        var host = builder.Build();
        return host.Services.GetRequiredService<IDocumentStore>().Options.Serializer();
    }

    /// <summary>CPU time of this thread spent in <paramref name="stage"/>, in µs.</summary>
    private static double Time(Action stage)
    {
        GC.Collect();
        var start = ThreadCpuMicroseconds();
        stage();
        return ThreadCpuMicroseconds() - start;
    }

    private static double ThreadCpuMicroseconds()
    {
        const int ClockThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID on Linux
        if (OperatingSystem.IsLinux() && clock_gettime(ClockThreadCpuTime, out var time) == 0)
        {
            return (time.Seconds * 1e6) + (time.Nanoseconds / 1e3);
        }

        return Stopwatch.GetTimestamp() * 1e6 / Stopwatch.Frequency; // elsewhere: wall clock
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int clock_gettime(int clock, out TimeSpec time);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using CustomerSuccess.Client;
using CustomerSuccess.LoadGenerator;
using Microsoft.Extensions.DependencyInjection;

// Usage:
//   load       [--ingestion URL] --api-key KEY [--seed 42] [--customers 1000] [--events 100000] [--rate EVENTS_PER_S]
//              [--batch 500] [--concurrency 4] [--until yyyy-MM-dd] [--prefix ID_PREFIX] [--ndjson FILE (write, do not send)]
//   benchmark  same, plus --healthscore URL --postgres CONN --rabbitmq URI --pids name=pid,... --out FILE [--freshness-seconds 30]
//   rebuild    --ingestion URL --api-key KEY --postgres CONN --expected N --out FILE
//   seed-store --service healthscore|lifecycle|renewal --postgres CONN --schema S [--stored-events 1000000] [--batch 50000] (see StoreSeeder.cs)
//   faults-load       --ingestion URL --api-key KEY --rate N --phase-file F --stop-file F --accepted-file F --unanswered-file F
//   faults-reconcile  --postgres CONN --phases a,b,... --accepted-file F --unanswered-file F [--recovery-file F] [--out FILE]
//   faults-feed       --postgres CONN --rabbitmq URI --tap-queue Q   (services stopped: the CRM feed by event id, see FaultFeed.cs)
//   (all three driven by deploy/faults.sh)
//   wire-names        queue and message-type names the scripts use, as key=value lines (see WireNamesCommand.cs)
//   rollup-cost       [--customers 200] [--history-days 30,365] [--density 10] [--page-facts 5] [--rounds 5]   (HealthScore's rollup per page, see RollupCost.cs)
//   perf-summary      --input PERF_SCRIPT_OUTPUT --pids name=pid,... [--out FILE]   (deploy/benchmark.sh --perf, see PerfSummary.cs)
var arguments = Arguments.Parse(args);
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var services = new ServiceCollection();
services.AddCustomerSuccessClients(new CustomerSuccessClientOptions
{
    Ingestion = new Uri(arguments.Get("ingestion", "http://127.0.0.1:5101")),
    HealthScore = new Uri(arguments.Get("healthscore", "http://127.0.0.1:5102")),
    ApiKey = arguments.Get("api-key", Environment.GetEnvironmentVariable("CUSTOMERSUCCESS_API_KEY") ?? ""),
}, client => client.ConfigureHttpClient(http => http.Timeout = TimeSpan.FromMinutes(10)));
await using var provider = services.BuildServiceProvider();

switch (arguments.Mode)
{
    case "load":
        return await LoadAsync(arguments, cancellation.Token);
    case "benchmark":
        return await new Benchmark(arguments, provider).RunAsync(cancellation.Token);
    case "rebuild":
        return await Benchmark.RebuildAsync(arguments, cancellation.Token);
    case "seed-store":
        return await StoreSeeder.SeedAsync(arguments, cancellation.Token);
    case "faults-load":
        return await FaultLoad.RunAsync(arguments, provider.GetRequiredService<IIngestionApi>(), cancellation.Token);
    case "faults-reconcile":
        return await FaultReconcile.RunAsync(arguments, cancellation.Token);
    case "faults-feed":
        return await FaultFeed.RunAsync(arguments, cancellation.Token);
    case "faults-webhooks":
        return await FaultWebhookReceiver.RunAsync(arguments, cancellation.Token);
    case "perf-summary":
        return await PerfSummary.RunAsync(arguments, cancellation.Token);
    case "rollup-cost":
        return await RollupCost.RunAsync(arguments);
    case "wire-names":
        return WireNamesCommand.Run();
    default:
        await Console.Error.WriteLineAsync("usage: CustomerSuccess.LoadGenerator load|benchmark|rebuild|seed-store|faults-load|faults-reconcile|faults-feed|rollup-cost|wire-names [--option value ...] (see Program.cs)");
        return 2;
}

static async Task<int> LoadAsync(Arguments arguments, CancellationToken cancellationToken)
{
    var generator = arguments.Generator("load");
    var ndjson = arguments.GetOrNull("ndjson");
    if (ndjson is not null)
    {
        await using var file = File.Create(ndjson);
        var written = await Ndjson.WriteAsync(file, generator.Generate(), cancellationToken);
        Console.WriteLine($"wrote {written} envelopes to {ndjson}");
        return 0;
    }

    var rate = arguments.GetOrNull("rate") is { } r ? double.Parse(r, CultureInfo.InvariantCulture) : (double?)null;
    using var http = LoadSender.IngestionClient(new Uri(arguments.Get("ingestion", "http://127.0.0.1:5101")), arguments.Get("api-key", Environment.GetEnvironmentVariable("CUSTOMERSUCCESS_API_KEY") ?? ""));
    var prepared = LoadSender.Prepare(generator.Generate(), arguments.GetInt("batch", 500), arguments.GetInt("concurrency", 4));
    var result = await LoadSender.SendAsync(
        http, prepared, rate,
        sent =>
        {
            if (sent % 50_000 < arguments.GetInt("batch", 500))
            {
                Console.WriteLine($"  sent {sent}");
            }
        },
        cancellationToken);
    Console.WriteLine(FormattableString.Invariant(
        $"sent {result.Sent}, accepted {result.Accepted}, duplicates {result.Duplicates}, failed {result.Failed} in {result.Elapsed.TotalSeconds:F1} s: {result.AcceptedPerSecond:F0} accepted/s"));
    return result.Failed == 0 ? 0 : 1;
}

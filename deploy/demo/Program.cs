using CustomerSuccess.Client;
using CustomerSuccess.Demo;
using Microsoft.Extensions.DependencyInjection;
using Refit;

var options = new CustomerSuccessClientOptions
{
    ApiKey = Argument("--api-key") ?? Environment.GetEnvironmentVariable("CUSTOMERSUCCESS_API_KEY")
        ?? throw new ArgumentException("Pass --api-key or set CUSTOMERSUCCESS_API_KEY."),
};
options.Ingestion = Argument("--ingestion") is { } i ? new Uri(i) : options.Ingestion;
options.HealthScore = Argument("--healthscore") is { } h ? new Uri(h) : options.HealthScore;
options.Lifecycle = Argument("--lifecycle") is { } l ? new Uri(l) : options.Lifecycle;
options.Renewal = Argument("--renewal") is { } r ? new Uri(r) : options.Renewal;

await using var services = new ServiceCollection().AddCustomerSuccessClients(options).BuildServiceProvider();
var ingestion = services.GetRequiredService<IIngestionApi>();
var health = services.GetRequiredService<IHealthScoreApi>();
var lifecycle = services.GetRequiredService<ILifecycleApi>();
var renewal = services.GetRequiredService<IRenewalApi>();

var envelopes = new DemoCustomers(DateTimeOffset.UtcNow).All().ToList();
int accepted = 0, duplicates = 0;
foreach (var batch in envelopes.Chunk(1000))
{
    var result = await ingestion.PostEventsAsync(batch);
    accepted += result.Accepted;
    duplicates += result.Duplicates;
}

Console.WriteLine($"Demo data: {envelopes.Count} events posted ({accepted} accepted, {duplicates} already there).");

// Wait (with a deadline) until every demo customer's last event has been scored.
var deadline = DateTime.UtcNow.AddSeconds(120);
Console.WriteLine();
Console.WriteLine($"{"customer",-10} {"score",6} {"outcome",8} {"exper.",7} {"band",-7} {"quad",-4} {"stage",-11} {"tier",-15} {"renewal",8} {"risk",-8} story");
foreach (var (id, story) in DemoCustomers.Stories)
{
    var scored = await WaitAsync(() => health.GetHealthAsync(id), deadline);
    var stage = await WaitAsync(() => lifecycle.GetLifecycleAsync(id), deadline);
    var contract = await WaitAsync(() => renewal.GetRenewalAsync(id), deadline);
    Console.WriteLine($"{id,-10} {scored?.Score,6:0.0} {scored?.Outcome,8:0.0} {scored?.Experience,7:0.0} {scored?.Band.ToString().ToLowerInvariant(),-7} {scored?.Quadrant,-4} "
        + $"{stage?.Stage.ToString().ToLowerInvariant(),-11} {stage?.Tier.ToString(),-15} {contract?.DaysToRenewal,5} d  {contract?.Risk.Level.ToString().ToLowerInvariant(),-8} {story}");
}

Console.WriteLine();
Console.WriteLine($"Why is a score what it is? curl -H \"Authorization: Bearer $KEY\" {options.HealthScore}v1/customers/initech/health");
return;

static async Task<T?> WaitAsync<T>(Func<Task<T>> read, DateTime deadline)
    where T : class
{
    while (true)
    {
        try
        {
            return await read();
        }
        catch (ApiException exception) when (exception.StatusCode == System.Net.HttpStatusCode.NotFound && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }
        catch (ApiException) when (DateTime.UtcNow >= deadline)
        {
            return null;
        }
    }
}

string? Argument(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

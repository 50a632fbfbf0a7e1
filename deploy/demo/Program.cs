using CustomerSuccess.Client;
using CustomerSuccess.Demo;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
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
Console.WriteLine($"{"customer",-10} {"score",6} {"outcome",8} {"exper.",7} {"band",-7} {"quad",-4} {"stage",-11} {"tier",-15} {"lifecycle",-20} {"renewal",8} {"risk",-8} story");
foreach (var (id, story) in DemoCustomers.Stories)
{
    var scored = await SettledAsync(() => health.GetHealthAsync(id), h => $"{h.Score}|{h.Experience}|{h.Contributions.Count}", deadline);
    var stage = await WaitAsync(() => lifecycle.GetLifecycleAsync(id), deadline);
    var contract = await WaitAsync(() => renewal.GetRenewalAsync(id), deadline);
    string?[] lifecycleFlags =
    [
        stage?.DeliveryOverdue == true ? "delivery overdue" : null, stage?.FirstValueOverdue == true ? "first value overdue" : null,
        stage?.TimesWonBack > 0 ? $"won back x{stage.TimesWonBack}" : null, stage?.TierPinned == true ? "pinned" : null,
    ];
    var flags = string.Join(", ", lifecycleFlags.OfType<string>());
    Console.WriteLine($"{id,-10} {scored?.Score,6:0.0} {scored?.Outcome,8:0.0} {scored?.Experience,7:0.0} {Wire(scored?.Band),-7} {scored?.Quadrant,-4} "
        + $"{Wire(stage?.Stage),-11} {Wire(stage?.Tier),-15} {(flags.Length > 0 ? flags : "-"),-20} {contract?.DaysToRenewal,5} d  {Wire(contract?.Risk.Level),-8} {story}");
}

var example = await health.GetHealthAsync("initech");
Console.WriteLine();
Console.WriteLine($"Why initech scores {example.Score:0.0} ({Wire(example.Band)}, {example.Quadrant}): each measure's raw value, normalised value, weight and points");
foreach (var contribution in example.Contributions.Where(c => c.Weight > 0).OrderByDescending(c => c.Weight))
{
    Console.WriteLine($"  {contribution.Group,-10} {contribution.Measure,-28} raw {contribution.Raw,8:0.##}  → {contribution.Normalized,5:0.0}/100 × {contribution.Weight,5:0.000} = {contribution.Points,5:0.0}  {contribution.Reason}");
}

Console.WriteLine();
Console.WriteLine($"All of it: curl -H \"Authorization: Bearer $KEY\" {options.HealthScore}v1/customers/initech/health");

// Renewal: every difficulty tag and risk level, a won-back customer, then the portfolio's metrics.
await new DemoRenewalCustomers(DateTimeOffset.UtcNow).RunAsync(ingestion, renewal, Console.Out);
Console.WriteLine($"The worklist: curl -H \"Authorization: Bearer $KEY\" \"{options.Renewal}v1/renewals?dueWithinDays=120\"");
return;

// The wire name of an enum value (e.g. key_account), as the API writes it.
static string Wire(Enum? value) => value is null ? "-" : JsonSerializer.Serialize(value, value.GetType()).Trim('"');

// Polls until the answer stops changing (three equal reads a second apart): the demo's events are still
// flowing through the broker when the first answer appears.
static async Task<T?> SettledAsync<T>(Func<Task<T>> read, Func<T, string> fingerprint, DateTime deadline)
    where T : class
{
    string? previous = null;
    var equalReads = 0;
    T? last = null;
    while (DateTime.UtcNow < deadline && equalReads < 2)
    {
        last = await WaitAsync(read, deadline);
        if (last is null)
        {
            return null;
        }

        var current = fingerprint(last);
        equalReads = current == previous ? equalReads + 1 : 0;
        previous = current;
        if (equalReads < 2)
        {
            await Task.Delay(1000);
        }
    }

    return last;
}

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

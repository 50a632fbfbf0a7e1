using System.Globalization;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.ServiceDefaults;
using CustomerSuccess.ServiceDefaults.Security;
using Marten;

namespace CustomerSuccess.Lifecycle.Stages;

/// <summary>Team metrics over a period, from the customers' summaries (each as of its last evaluation).</summary>
public static class LifecycleMetricsApi
{
    public const int DefaultPeriodDays = 30;

    public static IEndpointRouteBuilder MapLifecycleMetricsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapV1().WithTags("Lifecycle").MapGet("/lifecycle/metrics", GetMetricsAsync)
            .RequireAuthorization(Scopes.Read)
            .WithName("getLifecycleMetrics")
            .Produces<LifecycleMetricsResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Customers per stage and tier at 'to', stage transitions, median days per stage and the standard → high-potential conversion in [from, to) (default: the last 30 days).");
        return endpoints;
    }

    private static async Task<IResult> GetMetricsAsync(string? from, string? to, IQuerySession session, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var end = Instant("to", to, errors) ?? time.GetUtcNow();
        var start = Instant("from", from, errors) ?? end.AddDays(-DefaultPeriodDays);
        if (errors.Count == 0 && start >= end)
        {
            errors["from"] = ["'from' must be before 'to'."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "Invalid period");
        }

        var summaries = await session.Query<LifecycleSummary>().ToListAsync(cancellationToken);
        return Results.Ok(Compute(summaries, start, end));
    }

    /// <summary>The metrics of [<paramref name="from"/>, <paramref name="to"/>); see <see cref="LifecycleMetricsResponse"/> and the README.</summary>
    public static LifecycleMetricsResponse Compute(IReadOnlyList<LifecycleSummary> summaries, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        var stagesAtTo = summaries.Select(s => StageAt(s, to)).Where(s => s is not null).Select(s => s!.Value).ToList();
        var tiersAtTo = summaries.Where(s => StageAt(s, to) is not null).Select(s => TierAt(s, to)).ToList();
        var transitions = summaries
            .SelectMany(s => s.StageHistory.Select((period, i) => (Previous: i > 0 ? s.StageHistory[i - 1].Stage : (LifecycleStage?)null, period)))
            .Where(t => t.period.Since >= from && t.period.Since < to)
            .GroupBy(t => (t.Previous, t.period.Stage))
            .OrderBy(g => g.Key.Previous.HasValue).ThenBy(g => g.Key.Previous).ThenBy(g => g.Key.Stage)
            .Select(g => new StageTransitionCount(g.Key.Previous, g.Key.Stage, g.Count()))
            .ToList();
        var stays = summaries.SelectMany(s => s.StageHistory).Where(p => p.Until is { } until && until >= from && until < to).ToList();
        var durations = Enum.GetValues<LifecycleStage>()
            .Select(stage =>
            {
                var days = stays.Where(p => p.Stage == stage).Select(p => (p.Until!.Value - p.Since).TotalDays).ToList();
                return new StageDuration(stage, Median(days), days.Count);
            })
            .ToList();
        var cohort = summaries.Where(s => StageAt(s, from) is not null && TierAt(s, from) == CustomerTier.Standard).ToList();
        var converted = cohort.Count(s => s.TierHistory.Any(t => t.Tier == CustomerTier.HighPotential && t.Since >= from && t.Since < to));
        return new LifecycleMetricsResponse(
            from,
            to,
            Enum.GetValues<LifecycleStage>().Select(stage => new StageCount(stage, stagesAtTo.Count(s => s == stage))).ToList(),
            Enum.GetValues<CustomerTier>().Select(tier => new TierCount(tier, tiersAtTo.Count(t => t == tier))).ToList(),
            transitions,
            durations,
            new TierConversion(cohort.Count, converted, cohort.Count == 0 ? null : Math.Round((double)converted / cohort.Count, 4)));
    }

    private static LifecycleStage? StageAt(LifecycleSummary summary, DateTimeOffset at) =>
        summary.StageHistory.LastOrDefault(p => p.Since <= at && (p.Until is null || p.Until > at))?.Stage;

    /// <summary>The tier in force at <paramref name="at"/>; standard before the first entry.</summary>
    private static CustomerTier TierAt(LifecycleSummary summary, DateTimeOffset at) =>
        summary.TierHistory.LastOrDefault(t => t.Since <= at)?.Tier ?? CustomerTier.Standard;

    private static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        var middle = values.Count / 2;
        var median = values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
        return Math.Round(median, 1);
    }

    private static DateTimeOffset? Instant(string name, string? text, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return instant;
        }

        errors[name] = [$"'{text}' is not an instant or a date (e.g. 2026-11-01 or 2026-11-01T00:00:00Z)."];
        return null;
    }
}

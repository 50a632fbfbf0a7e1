using CustomerSuccess.Contracts.Http;
using CustomerSuccess.HealthScore.Domain;
using Marten;

namespace CustomerSuccess.HealthScore.Simulation;

/// <summary>
/// Runs a candidate scoring model next to the current one over the stored facts, reading only: nothing is appended,
/// stored or published. Each customer is scored by both as of one instant, with the tier and stage then in force;
/// the backtest scores every known renewal and churn some days before it happened.
/// </summary>
public static class ModelSimulation
{
    /// <summary>Most customers one request may name; without names, every customer is simulated.</summary>
    public const int MaxCustomerIds = 1000;

    public const int DefaultBacktestDaysBefore = 90;

    private const int PageSize = 200;

    public static async Task<ScoringSimulationResponse> RunAsync(
        IQuerySession session, ScoringModel current, ScoringModel candidate, IReadOnlyList<string>? customerIds,
        DateTimeOffset asOf, int backtestDaysBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(candidate);
        var customers = new List<CustomerSimulation>();
        var unknown = new List<string>();
        var currentSamples = new List<BacktestSample>();
        var candidateSamples = new List<BacktestSample>();
        var skipped = 0;

        void Simulate(CustomerFacts facts)
        {
            customers.Add(ModelComparison.Compare(
                facts.Id, HealthEvaluation.Evaluate(facts, current, asOf), HealthEvaluation.Evaluate(facts, candidate, asOf)));
            var outcomes = ModelBacktest.OutcomesOf(facts, asOf).Count;
            var scored = ModelBacktest.Score(facts, current, backtestDaysBefore, asOf);
            currentSamples.AddRange(scored);
            candidateSamples.AddRange(ModelBacktest.Score(facts, candidate, backtestDaysBefore, asOf));
            skipped += outcomes - scored.Count;
        }

        if (customerIds is not null)
        {
            var requested = customerIds.Distinct(StringComparer.Ordinal).ToList();
            var loaded = (await session.LoadManyAsync<CustomerFacts>(cancellationToken, requested))
                .ToDictionary(f => f.Id, StringComparer.Ordinal);
            foreach (var id in requested)
            {
                if (loaded.TryGetValue(id, out var facts) && KnownBy(facts, asOf))
                {
                    Simulate(facts);
                }
                else
                {
                    unknown.Add(id);
                }
            }
        }
        else
        {
            for (var page = 0; ; page++)
            {
                var facts = await session.Query<CustomerFacts>().OrderBy(f => f.Id).Skip(page * PageSize).Take(PageSize).ToListAsync(cancellationToken);
                if (facts.Count == 0)
                {
                    break;
                }

                foreach (var customer in facts.Where(f => KnownBy(f, asOf)))
                {
                    Simulate(customer);
                }
            }
        }

        var backtest = new BacktestReport(
            backtestDaysBefore,
            currentSamples.Count(s => s.Outcome == ContractOutcome.Renewed),
            currentSamples.Count(s => s.Outcome == ContractOutcome.Churned),
            skipped,
            ToResponse(ModelBacktest.Separation(current.Version, currentSamples)),
            ToResponse(ModelBacktest.Separation(candidate.Version, candidateSamples)));
        return new ScoringSimulationResponse(
            current.Version, candidate.Version, asOf, ModelComparison.Summarize(customers), customers, unknown, backtest);
    }

    private static ModelSeparation ToResponse(BacktestSeparation separation) =>
        new(separation.ModelVersion, separation.MeanRenewedScore, separation.MeanChurnedScore, separation.Auc);

    /// <summary>A customer can be scored as of an instant once at least one fact about it dates from then or before.</summary>
    private static bool KnownBy(CustomerFacts facts, DateTimeOffset asOf) => facts.FirstOccurredAt is { } first && first <= asOf;
}

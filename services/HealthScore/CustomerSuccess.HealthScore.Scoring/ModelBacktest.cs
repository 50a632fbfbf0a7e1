namespace CustomerSuccess.HealthScore.Domain;

/// <summary>How a contract turned out: the customer renewed it, or churned (cancelled it).</summary>
public enum ContractOutcome
{
    Renewed,
    Churned,
}

/// <summary>A known renewal or churn and the customer's score some days before it.</summary>
public sealed record BacktestSample(string CustomerId, ContractOutcome Outcome, DateTimeOffset OutcomeAt, DateTimeOffset ScoredAt, double Score);

/// <summary>
/// Scores of renewed versus churned customers under one model: the means and the probability that a renewed customer
/// outscores a churned one (<see cref="ModelBacktest.Auc"/>); null when their group is empty.
/// </summary>
public sealed record BacktestSeparation(int ModelVersion, double? MeanRenewedScore, double? MeanChurnedScore, double? Auc);

/// <summary>
/// Backtests a scoring model against what customers actually did: each known renewal (<c>contract.renewed</c>) and churn
/// (<c>contract.cancelled</c>) is scored as of some days before it, with the tier and stage of that time; a model that
/// is worth adopting gives the customers who went on to renew higher scores than those who went on to churn.
/// </summary>
public static class ModelBacktest
{
    /// <summary>The renewals and churns in the facts that happened at or before <paramref name="until"/>, oldest first.</summary>
    public static IReadOnlyList<(ContractOutcome Outcome, DateTimeOffset At)> OutcomesOf(CustomerFacts facts, DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return facts.Contracts
            .Where(c => c.At <= until && c.Change is ContractChange.Renewed or ContractChange.Cancelled)
            .Select(c => (c.Change == ContractChange.Renewed ? ContractOutcome.Renewed : ContractOutcome.Churned, c.At))
            .ToList();
    }

    /// <summary>
    /// Scores each outcome of one customer <paramref name="daysBefore"/> days before it. Outcomes with no fact about the
    /// customer that early are left out (a score from no evidence says nothing about the model).
    /// </summary>
    public static IReadOnlyList<BacktestSample> Score(CustomerFacts facts, ScoringModel model, int daysBefore, DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentOutOfRangeException.ThrowIfNegative(daysBefore);
        var samples = new List<BacktestSample>();
        foreach (var (outcome, at) in OutcomesOf(facts, until))
        {
            var scoredAt = at.AddDays(-daysBefore);
            if (facts.FirstOccurredAt is not { } first || first > scoredAt)
            {
                continue;
            }

            samples.Add(new BacktestSample(facts.Id, outcome, at, scoredAt, HealthEvaluation.Evaluate(facts, model, scoredAt).Score));
        }

        return samples;
    }

    /// <summary>Mean score of each group and the probability that a renewed customer outscores a churned one.</summary>
    public static BacktestSeparation Separation(int modelVersion, IEnumerable<BacktestSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var list = samples.ToList();
        var renewed = list.Where(s => s.Outcome == ContractOutcome.Renewed).Select(s => s.Score).ToList();
        var churned = list.Where(s => s.Outcome == ContractOutcome.Churned).Select(s => s.Score).ToList();
        return new BacktestSeparation(
            modelVersion,
            renewed.Count > 0 ? Round(renewed.Average()) : null,
            churned.Count > 0 ? Round(churned.Average()) : null,
            Auc(renewed, churned) is { } auc ? Math.Round(auc, 4, MidpointRounding.AwayFromZero) : null);
    }

    /// <summary>
    /// The probability that a randomly chosen renewed score beats a randomly chosen churned one, ties counting half
    /// (the Mann–Whitney form of the ROC AUC); null when either group is empty. O((n + m) log(n + m)) by ranking.
    /// </summary>
    public static double? Auc(IReadOnlyList<double> renewed, IReadOnlyList<double> churned)
    {
        ArgumentNullException.ThrowIfNull(renewed);
        ArgumentNullException.ThrowIfNull(churned);
        if (renewed.Count == 0 || churned.Count == 0)
        {
            return null;
        }

        var all = renewed.Select(s => (Score: s, Renewed: true)).Concat(churned.Select(s => (Score: s, Renewed: false)))
            .OrderBy(x => x.Score).ToList();
        var renewedRankSum = 0.0;
        for (var i = 0; i < all.Count;)
        {
            // Tied scores share the mean of the ranks they span (1-based).
            var j = i;
            while (j < all.Count && all[j].Score.Equals(all[i].Score))
            {
                j++;
            }

            var meanRank = (i + 1 + j) / 2.0;
            renewedRankSum += meanRank * all.Skip(i).Take(j - i).Count(x => x.Renewed);
            i = j;
        }

        double n = renewed.Count, m = churned.Count;
        return (renewedRankSum - (n * (n + 1) / 2)) / (n * m);
    }

    private static double Round(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);
}

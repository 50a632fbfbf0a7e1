using CustomerSuccess.Contracts.Events;
using static System.FormattableString;

namespace CustomerSuccess.HealthScore.Domain;

/// <summary>
/// Health = outcome × outcome share + experience × experience share, each part 0–100, with every measure's contribution.
/// A pure, deterministic function of the facts, a scoring model, the customer's tier and stage, and an instant.
/// </summary>
/// <remarks>
/// <para><b>As of.</b> Nothing dated after <c>asOf</c> is visible and every window trails from it, so the same rollup
/// answers "as of six weeks ago", and a customer who stops using the product loses outcome as days pass without events.</para>
/// <para><b>Missing data.</b> A measure with no data in its window (no survey answers, no tickets, no seats to compare
/// usage with…) gets weight 0, shown with Raw = null, Points 0 and the reason "no data in the last N days; weight
/// redistributed"; its weight goes proportionally to the measures of its group that have data. Zero usage while seats
/// are known is data (it scores 0), not missing data. When no measure of a group has data, the group takes the model's
/// <see cref="ScoringModel.NoOutcomeDataScore"/> (0: no evidence of value) or <see cref="ScoringModel.NoExperienceDataScore"/>
/// (50: neutral), shown as an <c>outcome_baseline</c> / <c>experience_baseline</c> contribution, so Points still sum to Score.</para>
/// <para><b>Key accounts</b> (tier key account) use the key-account shares (70/30). The tier is Lifecycle's decision;
/// scoring never overrides the tier it is given (see <see cref="CustomerFacts.TierAt"/> for the initial value).</para>
/// <para><b>Q2 is never green.</b> A satisfied but unsuccessful customer (experience high, outcome low) keeps its
/// honest score, but its band is held at yellow at most, with a note saying so.</para>
/// <para><b>Trend</b> compares the score with the one <see cref="ScoringModel.TrendDays"/> earlier, computed the same way
/// from the same facts (same tier and stage); with no facts that old, the trend is stable.</para>
/// </remarks>
public static class HealthEvaluation
{
    /// <summary>Contribution name of the outcome stand-in when no outcome measure has data.</summary>
    public const string OutcomeBaseline = "outcome_baseline";

    /// <summary>Contribution name of the experience stand-in when no experience measure has data.</summary>
    public const string ExperienceBaseline = "experience_baseline";

    /// <summary>Evaluates with the tier and stage the facts say were in force at <paramref name="asOf"/>.</summary>
    public static HealthResult Evaluate(CustomerFacts facts, ScoringModel model, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return Evaluate(facts, model, facts.TierAt(asOf), facts.StageAt(asOf), asOf);
    }

    public static HealthResult Evaluate(CustomerFacts facts, ScoringModel model, CustomerTier tier, LifecycleStage stage, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(model);
        var errors = model.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Scoring model {model.Version} is invalid: {string.Join(" ", errors)}", nameof(model));
        }

        var now = Score(facts, model, tier, stage, asOf);
        var baselineAt = asOf.AddDays(-model.TrendDays);
        double? previous = facts.FirstOccurredAt is { } first && first <= baselineAt
            ? Score(facts, model, tier, stage, baselineAt).Score
            : null;
        // Scores carry one decimal; rounding the difference keeps a move of exactly the threshold from reading 4.999….
        var delta = previous is { } before ? Math.Round(now.Score - before, 1) : (double?)null;
        var trend = delta switch
        {
            null => HealthTrend.Stable,
            var d when d >= model.TrendThreshold => HealthTrend.Improving,
            var d when d <= -model.TrendThreshold => HealthTrend.Declining,
            _ => HealthTrend.Stable,
        };

        var quadrant = QuadrantOf(now.Outcome, now.Experience, model);
        var band = BandOf(now.Score, model);
        var notes = new List<string>();
        if (quadrant == Quadrant.Q2 && band == HealthBand.Green)
        {
            band = HealthBand.Yellow;
            notes.Add(Invariant(
                $"satisfied but unsuccessful (Q2): outcome {now.Outcome:0.0} is low although experience {now.Experience:0.0} is high, so the band is held at yellow despite a score of {now.Score:0.0}"));
        }

        var steep = delta <= -model.SteepDeclineThreshold;
        if (steep)
        {
            notes.Add(Invariant($"steep decline: {-delta:0.0} points down in the last {model.TrendDays} days"));
        }

        return new HealthResult
        {
            Score = now.Score,
            Outcome = now.Outcome,
            Experience = now.Experience,
            Band = band,
            Quadrant = quadrant,
            Trend = trend,
            PreviousScore = previous,
            SteepDecline = steep,
            Tier = tier,
            Stage = stage,
            ModelVersion = model.Version,
            EvaluatedAt = asOf,
            Contributions = now.Contributions,
            Notes = notes,
        };
    }

    /// <summary>Green / yellow / red from the model's thresholds (before the Q2 rule).</summary>
    public static HealthBand BandOf(double score, ScoringModel model) =>
        score >= model.GreenFrom ? HealthBand.Green : score >= model.YellowFrom ? HealthBand.Yellow : HealthBand.Red;

    /// <summary>Q1 loyal, Q2 satisfied but unsuccessful, Q3 grudging, Q4 failing.</summary>
    public static Quadrant QuadrantOf(double outcome, double experience, ScoringModel model) =>
        (outcome >= model.OutcomeHighFrom, experience >= model.ExperienceHighFrom) switch
        {
            (true, true) => Quadrant.Q1,
            (false, true) => Quadrant.Q2,
            (true, false) => Quadrant.Q3,
            (false, false) => Quadrant.Q4,
        };

    private sealed record Snapshot(double Score, double Outcome, double Experience, IReadOnlyList<MeasureContribution> Contributions);

    private static Snapshot Score(CustomerFacts facts, ScoringModel model, CustomerTier tier, LifecycleStage stage, DateTimeOffset asOf)
    {
        var view = new FactsAsOf(facts, model, asOf);
        var shares = model.SharesFor(tier);
        var readings = model.Measures.Select(m => (Measure: m, Reading: MeasureReadings.Read(m, view))).ToList();

        var contributions = new List<MeasureContribution>();
        var outcome = ScoreGroup(MeasureGroup.Outcome, shares.Outcome, model.NoOutcomeDataScore, OutcomeBaseline);
        var experience = ScoreGroup(MeasureGroup.Experience, shares.Experience, model.NoExperienceDataScore, ExperienceBaseline);
        var score = (outcome * shares.Outcome) + (experience * shares.Experience);
        return new Snapshot(Round(score, 1), Round(outcome, 1), Round(experience, 1), contributions);

        double ScoreGroup(MeasureGroup group, double share, double noDataScore, string baselineName)
        {
            var members = readings.Where(r => r.Measure.Group == group).ToList();
            var weightWithData = members.Where(r => r.Reading.Raw is not null).Sum(r => r.Measure.WeightFor(stage));
            var groupName = group == MeasureGroup.Outcome ? "outcome" : "experience";
            var value = 0.0;
            foreach (var (measure, reading) in members)
            {
                if (reading.Raw is not { } raw)
                {
                    contributions.Add(new MeasureContribution(measure.Name, groupName, null, 0, 0, 0, reading.Reason));
                    continue;
                }

                var normalized = measure.Normalize(raw);
                var weight = weightWithData > 0 ? share * measure.WeightFor(stage) / weightWithData : 0;
                value += weightWithData > 0 ? normalized * measure.WeightFor(stage) / weightWithData : 0;
                contributions.Add(new MeasureContribution(
                    measure.Name, groupName, Round(raw, 3), Round(normalized, 1), Round(weight, 4), Round(normalized * weight, 2), reading.Reason));
            }

            if (weightWithData > 0)
            {
                return value;
            }

            var why = group == MeasureGroup.Outcome
                ? Invariant($"no outcome measure has data (no seats, no usage): outcome taken as {noDataScore:0.#}, no evidence of value")
                : Invariant($"no experience measure has data: experience taken as {noDataScore:0.#}, neutral");
            contributions.Add(new MeasureContribution(
                baselineName, groupName, null, noDataScore, Round(share, 4), Round(noDataScore * share, 2), why));
            return noDataScore;
        }
    }

    private static double Round(double value, int digits) => Math.Round(value, digits, MidpointRounding.AwayFromZero);
}

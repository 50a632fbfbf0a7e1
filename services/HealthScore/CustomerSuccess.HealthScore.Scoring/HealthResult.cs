using CustomerSuccess.Contracts.Events;
using static System.FormattableString;

namespace CustomerSuccess.HealthScore.Domain;

/// <summary>A customer's health as of an instant, with the contributions that explain it.</summary>
public sealed record HealthResult
{
    /// <summary>0–100, one decimal; equals the sum of the contributions' points (up to rounding).</summary>
    public required double Score { get; init; }

    /// <summary>Customer outcome 0–100, one decimal.</summary>
    public required double Outcome { get; init; }

    /// <summary>Customer experience 0–100, one decimal.</summary>
    public required double Experience { get; init; }

    /// <summary>From the model's thresholds, except that Q2 is never green.</summary>
    public required HealthBand Band { get; init; }

    public required Quadrant Quadrant { get; init; }
    public required HealthTrend Trend { get; init; }

    /// <summary>The score <see cref="ScoringModel.TrendDays"/> earlier; null when the facts do not reach back that far.</summary>
    public double? PreviousScore { get; init; }

    /// <summary>Change since <see cref="PreviousScore"/>.</summary>
    public double? TrendDelta => Score - PreviousScore;

    /// <summary>Declined by at least <see cref="ScoringModel.SteepDeclineThreshold"/>: a risk signal even while green.</summary>
    public bool SteepDecline { get; init; }

    /// <summary>Scored with the key-account shares (the tier is key account).</summary>
    public bool KeyAccount => Tier == CustomerTier.KeyAccount;

    /// <summary>The tier scored with, as given: Lifecycle's decision (or the profile's initial value, see <see cref="CustomerFacts.TierAt"/>).</summary>
    public CustomerTier Tier { get; init; }

    /// <summary>The lifecycle stage whose measure weights were used.</summary>
    public LifecycleStage Stage { get; init; }

    public required int ModelVersion { get; init; }
    public required DateTimeOffset EvaluatedAt { get; init; }

    /// <summary>Every measure in model order (then any group baseline); Weight is the share of the whole score.</summary>
    public required IReadOnlyList<MeasureContribution> Contributions { get; init; }

    /// <summary>Rules that overrode the plain thresholds (the Q2 band hold) and warnings (steep decline).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>
    /// Whether this result is worth publishing after <paramref name="previous"/> (the last one published): the first
    /// result, a band or quadrant change, or a score change of at least <see cref="ScoringModel.PublishMargin"/>.
    /// </summary>
    public bool IsSignificantChangeFrom(HealthResult? previous, ScoringModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return previous is null
               || previous.Band != Band
               || previous.Quadrant != Quadrant
               || Math.Round(Math.Abs(Score - previous.Score), 1) >= model.PublishMargin;
    }

    /// <summary>
    /// The few reasons that explain the result best: notes first, then the contributions that pull their half of the
    /// score (outcome or experience) furthest from neutral, up or down — so a grudging customer's complaints show even
    /// though experience is only a fifth of the score.
    /// </summary>
    public IReadOnlyList<string> TopReasons(int count = 3)
    {
        var groupWeights = Contributions.GroupBy(c => c.Group).ToDictionary(g => g.Key, g => g.Sum(c => c.Weight));
        var fromContributions = Contributions
            .Where(c => c.Weight > 0 && groupWeights[c.Group] > 0)
            .Select(c => (Contribution: c, Pull: c.Weight / groupWeights[c.Group] * (c.Normalized - 50)))
            .OrderByDescending(x => Math.Abs(x.Pull))
            .ThenBy(x => x.Contribution.Measure, StringComparer.Ordinal)
            .Select(x => Invariant($"{x.Contribution.Measure.Replace('_', ' ')}: {x.Contribution.Reason}"));
        return Notes.Concat(fromContributions).Take(Math.Max(0, count)).ToList();
    }
}

/// <summary>One measure's part in a score: why the score is what it is.</summary>
/// <param name="Measure">Measure name, e.g. <c>core_feature_usage</c>.</param>
/// <param name="Group"><c>outcome</c> or <c>experience</c>.</param>
/// <param name="Raw">The measured value (null when there is no data for it).</param>
/// <param name="Normalized">0–100 after the model's floor and target.</param>
/// <param name="Weight">Effective weight within the whole score (0–1), after redistribution for missing data.</param>
/// <param name="Points">Points this measure adds to the score (normalized × weight).</param>
/// <param name="Reason">A short sentence a CSM can read.</param>
public sealed record MeasureContribution(string Measure, string Group, double? Raw, double Normalized, double Weight, double Points, string Reason);

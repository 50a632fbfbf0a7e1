using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Domain;

namespace CustomerSuccess.HealthScore.Scoring;

/// <summary>
/// An evaluation that changed the customer's health: the full result, the model version, tier and stage that produced
/// it, and whether it is significant enough to publish. Stored once and never rewritten (a new model version only
/// affects later evaluations).
/// </summary>
/// <remarks>
/// Holds only its own types (<see cref="RecordedContribution"/>), never the HTTP DTOs: what is in the event store does not
/// change when a public response changes; <see cref="HealthResponses"/> maps it to the HTTP shapes.
/// </remarks>
public sealed record HealthEvaluated
{
    public required string CustomerId { get; init; }
    public required double Score { get; init; }
    public required double Outcome { get; init; }
    public required double Experience { get; init; }
    public required HealthBand Band { get; init; }
    public required Quadrant Quadrant { get; init; }
    public required HealthTrend Trend { get; init; }
    public required int ModelVersion { get; init; }
    public required DateTimeOffset EvaluatedAt { get; init; }
    public required IReadOnlyList<RecordedContribution> Contributions { get; init; }

    /// <summary>The tier scored with (Lifecycle's, or the profile's initial value before Lifecycle assigned one).</summary>
    public CustomerTier Tier { get; init; }

    /// <summary>The lifecycle stage whose measure weights were used.</summary>
    public LifecycleStage Stage { get; init; }

    /// <summary>The score the trend compared with; null when the facts did not reach back that far.</summary>
    public double? PreviousScore { get; init; }

    /// <summary>
    /// Band, quadrant or score (by the model's publish margin) changed since the last significant evaluation; the
    /// relay publishes exactly these as <see cref="CustomerHealthChanged"/>.
    /// </summary>
    public bool Significant { get; init; }

    /// <summary>Notes (the Q2 hold, a steep decline) and the contributions that explain the result best.</summary>
    public IReadOnlyList<string> TopReasons { get; init; } = [];

    public static HealthEvaluated From(string customerId, HealthResult result, bool significant)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new HealthEvaluated
        {
            CustomerId = customerId,
            Score = result.Score,
            Outcome = result.Outcome,
            Experience = result.Experience,
            Band = result.Band,
            Quadrant = result.Quadrant,
            Trend = result.Trend,
            ModelVersion = result.ModelVersion,
            EvaluatedAt = result.EvaluatedAt,
            Contributions = result.Contributions.Select(RecordedContribution.From).ToList(),
            Tier = result.Tier,
            Stage = result.Stage,
            PreviousScore = result.PreviousScore,
            Significant = significant,
            TopReasons = result.TopReasons(),
        };
    }

    /// <summary>The integration event; <paramref name="eventId"/> is this evaluation's stable id, so consumers can de-duplicate.</summary>
    public CustomerHealthChanged ToHealthChanged(string eventId) => new()
    {
        EventId = eventId,
        CustomerId = CustomerId,
        Score = (decimal)Score,
        Outcome = (decimal)Outcome,
        Experience = (decimal)Experience,
        Band = Band,
        Quadrant = Quadrant,
        Trend = Trend,
        ModelVersion = ModelVersion,
        EvaluatedAt = EvaluatedAt,
        TopReasons = TopReasons,
    };

    /// <summary>The headline of this evaluation as a result, to judge the next one's significance against.</summary>
    public HealthResult ToResult() => new()
    {
        Score = Score,
        Outcome = Outcome,
        Experience = Experience,
        Band = Band,
        Quadrant = Quadrant,
        Trend = Trend,
        ModelVersion = ModelVersion,
        EvaluatedAt = EvaluatedAt,
        Contributions = Contributions.Select(c => c.ToMeasureContribution()).ToList(),
        Tier = Tier,
        Stage = Stage,
    };

    /// <summary>Whether <paramref name="other"/> says the same (the instant and significance alone are no change).</summary>
    public bool SameResultAs(HealthEvaluated? other) =>
        other is not null
        && other.Score.Equals(Score) && other.Outcome.Equals(Outcome) && other.Experience.Equals(Experience)
        && other.Band == Band && other.Quadrant == Quadrant && other.Trend == Trend && other.ModelVersion == ModelVersion
        && other.Tier == Tier && other.Stage == Stage
        && other.Contributions.SequenceEqual(Contributions);
}

/// <summary>
/// A measure's part in a stored evaluation. Its JSON shape (property names) is what existing event stores hold: keep it.
/// </summary>
public sealed record RecordedContribution(string Measure, string Group, double? Raw, double Normalized, double Weight, double Points, string Reason)
{
    public static RecordedContribution From(MeasureContribution contribution)
    {
        ArgumentNullException.ThrowIfNull(contribution);
        return new(contribution.Measure, contribution.Group, contribution.Raw, contribution.Normalized, contribution.Weight, contribution.Points, contribution.Reason);
    }

    public MeasureContribution ToMeasureContribution() => new(Measure, Group, Raw, Normalized, Weight, Points, Reason);
}

/// <summary>
/// The latest health of a customer (a Marten inline snapshot of its <see cref="HealthEvaluated"/> events), with the
/// filterable fields at the top so <c>GET /v1/health</c> queries them directly.
/// </summary>
public sealed class CustomerHealth
{
    public string Id { get; set; } = "";

    public HealthEvaluated? Latest { get; set; }

    /// <summary>The last evaluation that was significant (published): the next one's significance is judged against it.</summary>
    public HealthEvaluated? LastSignificant { get; set; }

    public HealthBand Band { get; set; }
    public Quadrant Quadrant { get; set; }
    public CustomerTier Tier { get; set; }

    public void Apply(HealthEvaluated evaluated)
    {
        Latest = evaluated;
        Band = evaluated.Band;
        Quadrant = evaluated.Quadrant;
        Tier = evaluated.Tier;
        if (evaluated.Significant)
        {
            LastSignificant = evaluated;
        }
    }
}

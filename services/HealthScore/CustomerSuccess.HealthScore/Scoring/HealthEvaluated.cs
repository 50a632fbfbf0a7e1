using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Http;

namespace CustomerSuccess.HealthScore.Scoring;

/// <summary>An evaluation that changed the customer's health: the full result and the model version that produced it.</summary>
public sealed record HealthEvaluated(
    string CustomerId,
    double Score,
    double Outcome,
    double Experience,
    HealthBand Band,
    Quadrant Quadrant,
    HealthTrend Trend,
    int ModelVersion,
    DateTimeOffset EvaluatedAt,
    IReadOnlyList<HealthContribution> Contributions)
{
    public CustomerHealthResponse ToResponse() =>
        new(CustomerId, Score, Outcome, Experience, Band, Quadrant, Trend, ModelVersion, EvaluatedAt, Contributions);

    public static HealthEvaluated From(string customerId, HealthResult result) =>
        new(customerId, result.Score, result.Outcome, result.Experience, result.Band, result.Quadrant, result.Trend, result.ModelVersion, result.EvaluatedAt, result.Contributions);

    /// <summary>Whether <paramref name="other"/> says something different (the instant alone is no change).</summary>
    public bool SameResultAs(HealthEvaluated? other) =>
        other is not null
        && other.Score.Equals(Score) && other.Outcome.Equals(Outcome) && other.Experience.Equals(Experience)
        && other.Band == Band && other.Quadrant == Quadrant && other.Trend == Trend && other.ModelVersion == ModelVersion
        && other.Contributions.SequenceEqual(Contributions);
}

/// <summary>The latest health of a customer (a Marten inline snapshot of its HealthEvaluated events).</summary>
public sealed class CustomerHealth
{
    public string Id { get; set; } = "";

    public HealthEvaluated? Latest { get; set; }

    public void Apply(HealthEvaluated evaluated) => Latest = evaluated;
}

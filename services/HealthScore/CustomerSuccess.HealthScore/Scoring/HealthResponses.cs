using CustomerSuccess.Contracts.Http;

namespace CustomerSuccess.HealthScore.Scoring;

/// <summary>Stored evaluations in the public HTTP shapes (the store and the API change independently).</summary>
public static class HealthResponses
{
    public static CustomerHealthResponse ToResponse(this HealthEvaluated evaluated)
    {
        ArgumentNullException.ThrowIfNull(evaluated);
        return new(evaluated.CustomerId, evaluated.Score, evaluated.Outcome, evaluated.Experience, evaluated.Band, evaluated.Quadrant,
            evaluated.Trend, evaluated.ModelVersion, evaluated.EvaluatedAt, Contributions(evaluated));
    }

    public static HealthHistoryEntry ToHistoryEntry(this HealthEvaluated evaluated, string eventId)
    {
        ArgumentNullException.ThrowIfNull(evaluated);
        return new(eventId, evaluated.Score, evaluated.Outcome, evaluated.Experience, evaluated.Band, evaluated.Quadrant, evaluated.Trend,
            evaluated.ModelVersion, evaluated.Tier, evaluated.Stage, evaluated.Significant, evaluated.EvaluatedAt, evaluated.TopReasons,
            Contributions(evaluated));
    }

    public static HealthListItem ToListItem(this HealthEvaluated evaluated)
    {
        ArgumentNullException.ThrowIfNull(evaluated);
        return new(evaluated.CustomerId, evaluated.Score, evaluated.Outcome, evaluated.Experience, evaluated.Band, evaluated.Quadrant,
            evaluated.Trend, evaluated.Tier, evaluated.Stage, evaluated.ModelVersion, evaluated.EvaluatedAt);
    }

    private static List<HealthContribution> Contributions(HealthEvaluated evaluated) =>
        evaluated.Contributions.Select(c => new HealthContribution(c.Measure, c.Group, c.Raw, c.Normalized, c.Weight, c.Points, c.Reason)).ToList();
}

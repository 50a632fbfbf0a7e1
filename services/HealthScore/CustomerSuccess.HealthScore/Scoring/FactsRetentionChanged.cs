namespace CustomerSuccess.HealthScore.Scoring;

/// <summary>
/// The customer's facts are kept for <paramref name="RetentionDays"/> days from now on, because the scoring model in
/// force says so. An event rather than a setting, so rebuilding the rollup from the stream prunes exactly as it did.
/// </summary>
public sealed record FactsRetentionChanged(int RetentionDays);

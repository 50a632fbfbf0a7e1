using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.Contracts.Http;

/// <summary>Answer of <c>POST /v1/events</c>: how many envelopes were accepted now and how many were re-sent ids.</summary>
public sealed record IngestionResult(int Accepted, int Duplicates);

/// <summary>Answer of <c>POST /v1/events/bulk</c>: counts and, for each rejected line, its number and errors.</summary>
public sealed record BulkIngestionResult(int Accepted, int Duplicates, int Rejected, IReadOnlyList<BulkLineError> Errors);

/// <summary>A rejected NDJSON line (1-based) and its field errors.</summary>
public sealed record BulkLineError(int Line, IReadOnlyDictionary<string, string[]> Errors);

/// <summary>One measure's part in a health score.</summary>
/// <param name="Measure">Measure name, e.g. <c>core_feature_usage</c>.</param>
/// <param name="Group"><c>outcome</c> or <c>experience</c>.</param>
/// <param name="Raw">The measured value before normalisation; null when there is no data.</param>
/// <param name="Normalized">0–100.</param>
/// <param name="Weight">Effective weight within the whole score (0–1), after redistribution for missing data.</param>
/// <param name="Points">Points this measure adds to the score (normalized × weight).</param>
/// <param name="Reason">A short sentence a CSM can read.</param>
public sealed record HealthContribution(string Measure, string Group, double? Raw, double Normalized, double Weight, double Points, string Reason);

/// <summary>A customer's health as of an instant.</summary>
public sealed record CustomerHealthResponse(
    string CustomerId,
    double Score,
    double Outcome,
    double Experience,
    HealthBand Band,
    Quadrant Quadrant,
    HealthTrend Trend,
    int ModelVersion,
    DateTimeOffset EvaluatedAt,
    IReadOnlyList<HealthContribution> Contributions);


using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CustomerSuccess.HealthScore.Scoring;

/// <summary>
/// How long one customer's evaluation against the scoring model takes (the pure computation, not the database round
/// trips around it). The evaluator is a static edge, hence one process-wide meter.
/// </summary>
public static class ScoringMetrics
{
    public const string MeterName = "CustomerSuccess.HealthScore";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("customersuccess.scoring.duration", "s",
        "Duration of one customer's health evaluation against the scoring model.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1] });

    public static void Evaluated(long startedAt) => Duration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds);
}

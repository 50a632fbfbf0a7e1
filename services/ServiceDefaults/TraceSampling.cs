using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;

namespace CustomerSuccess.ServiceDefaults;

/// <summary>
/// Which spans are recorded. Without an exporter none are (no span, no stored trace context: tracing costs nothing).
/// With one, a ratio of new traces (<c>OTEL_TRACES_SAMPLER_ARG</c>, default 1) and everything a sampled trace causes:
/// a span whose parent is sampled, and a batch span (relay page, consumed page) linked to any sampled trace, so a
/// sampled request is followed through every page that carries one of its events.
/// </summary>
public static class TraceSampling
{
    public const string RatioSetting = "OTEL_TRACES_SAMPLER_ARG";

    public static Sampler FromConfiguration(IConfiguration configuration, bool exporting)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!exporting)
        {
            return new AlwaysOffSampler();
        }

        var setting = configuration[RatioSetting];
        if (string.IsNullOrWhiteSpace(setting))
        {
            return Sampler(1.0);
        }

        return double.TryParse(setting, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio is >= 0 and <= 1
            ? Sampler(ratio)
            : throw new InvalidOperationException($"{RatioSetting} must be a ratio between 0 and 1, e.g. 0.1; it is '{setting}'.");
    }

    /// <summary>Samples <paramref name="ratio"/> of new traces, and every span whose parent or any link is sampled.</summary>
    public static Sampler Sampler(double ratio) => new LinkedOrParentBased(new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)));

    private sealed class LinkedOrParentBased(Sampler parentBased) : Sampler
    {
        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
        {
            if (samplingParameters.Links is { } links)
            {
                foreach (var link in links)
                {
                    if ((link.Context.TraceFlags & System.Diagnostics.ActivityTraceFlags.Recorded) != 0)
                    {
                        return new SamplingResult(SamplingDecision.RecordAndSample);
                    }
                }
            }

            return parentBased.ShouldSample(samplingParameters);
        }
    }
}

using System.Text.Json.Serialization;
using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.HealthScore.Domain;

/// <summary>The two halves of the health score.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MeasureGroup>))]
public enum MeasureGroup
{
    /// <summary>Customer outcome: is the customer getting the value it bought?</summary>
    [JsonStringEnumMemberName("outcome")] Outcome,

    /// <summary>Customer experience: what it is like to get that value.</summary>
    [JsonStringEnumMemberName("experience")] Experience,
}

/// <summary>
/// How one measure counts: its group, trailing window, normalisation and weight within its group.
/// </summary>
/// <remarks>
/// Normalisation is linear and clamped: a raw value at <see cref="Floor"/> scores 0, at <see cref="Target"/> 100.
/// When lower is better (response breaches, reopen rate, CES) the target is simply below the floor.
/// </remarks>
public sealed record MeasureDefinition
{
    /// <summary>One of <see cref="MeasureNames.All"/>.</summary>
    public required string Name { get; init; }

    /// <summary>Which half of the score the measure feeds.</summary>
    public required MeasureGroup Group { get; init; }

    /// <summary>Trailing window in days, ending at the evaluated instant (0 for the unwindowed stakeholder presence).</summary>
    public required int WindowDays { get; init; }

    /// <summary>Raw value that normalises to 0.</summary>
    public required double Floor { get; init; }

    /// <summary>Raw value that normalises to 100.</summary>
    public required double Target { get; init; }

    /// <summary>Weight within its group for every lifecycle stage not listed in <see cref="StageWeights"/>.</summary>
    public double Weight { get; init; }

    /// <summary>Weights within its group for particular lifecycle stages (e.g. DAU dominates onboarding).</summary>
    public IReadOnlyDictionary<LifecycleStage, double> StageWeights { get; init; } = new Dictionary<LifecycleStage, double>();

    /// <summary>The weight within its group in the given stage, before redistribution for missing data.</summary>
    public double WeightFor(LifecycleStage stage) =>
        StageWeights is not null && StageWeights.TryGetValue(stage, out var weight) ? weight : Weight;

    /// <summary>Maps a raw value onto 0–100, linearly between <see cref="Floor"/> and <see cref="Target"/>, clamped.</summary>
    public double Normalize(double raw) => Math.Clamp((raw - Floor) / (Target - Floor), 0, 1) * 100;
}

/// <summary>Outcome and experience shares of the whole score for one tier (they sum to 1).</summary>
public sealed record GroupShare
{
    public required CustomerTier Tier { get; init; }
    public required double Outcome { get; init; }
    public required double Experience { get; init; }
}

/// <summary>Support service levels for one ticket category.</summary>
public sealed record ServiceLevelTarget
{
    public required TicketCategory Category { get; init; }

    /// <summary>First response due within this many hours of opening.</summary>
    public required double FirstResponseHours { get; init; }

    /// <summary>Resolution due within this many hours of opening.</summary>
    public required double ResolutionHours { get; init; }

    /// <summary>How much a ticket of this category counts in SLA attainment (urgency: incident &gt; operational &gt; request).</summary>
    public required double UrgencyWeight { get; init; }
}

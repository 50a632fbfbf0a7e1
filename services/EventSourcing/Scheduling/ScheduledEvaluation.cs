using System.ComponentModel.DataAnnotations;

namespace CustomerSuccess.EventSourcing.Scheduling;

/// <summary>
/// Work driven by the passage of time rather than by arriving events, e.g. re-scoring every customer
/// daily so that inactivity lowers outcome, or opening renewal windows. Registered with
/// <see cref="SchedulingExtensions.AddScheduledEvaluation{T}"/>; resolved in its own DI scope per run.
/// </summary>
public interface IScheduledEvaluation
{
    /// <summary>Evaluates everything due as of <paramref name="asOf"/> (the scheduled instant of this run).</summary>
    Task EvaluateAsync(DateTimeOffset asOf, CancellationToken cancellationToken);
}

/// <summary>When scheduled evaluations run (<c>Evaluations:*</c>).</summary>
public sealed class EvaluationScheduleOptions
{
    public const string Section = "Evaluations";

    /// <summary>Time between runs; default one day.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Offset of each run from midnight UTC (runs are aligned: midnight + offset + k × interval).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan Offset { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Also run once at start-up, so a service that was down over a run catches up.</summary>
    public bool RunAtStartup { get; set; } = true;

    /// <summary>Most missed runs made up for at once when the clock moved past several instants; older ones are skipped.</summary>
    [Range(1, 1000)]
    public int MaxCatchUpRuns { get; set; } = 7;

    /// <summary>Turns the scheduler off (e.g. on read-only replicas).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The first scheduled instant strictly after <paramref name="now"/>.</summary>
    public DateTimeOffset NextRunAfter(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        var anchor = new DateTimeOffset(utc.Date, TimeSpan.Zero) + Offset - TimeSpan.FromDays(1);
        var elapsed = utc - anchor;
        var steps = (long)Math.Floor(elapsed.Ticks / (double)Interval.Ticks) + 1;
        var next = anchor + TimeSpan.FromTicks(Interval.Ticks * steps);
        while (next <= utc)
        {
            next += Interval;
        }

        return next;
    }
}

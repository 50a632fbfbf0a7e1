namespace CustomerSuccess.CrmFeed.Deliveries;

/// <summary>
/// When a failed webhook delivery is attempted next. The schedule lives in PostgreSQL (each delivery row holds its
/// next attempt), so a restart resumes it; this only computes the instants.
/// </summary>
/// <param name="Delays">Wait after the 1st, 2nd, … failed attempt; after the last one the delivery has failed.</param>
/// <param name="Jitter">Fraction each delay varies by, both ways (0.1: ±10 %), so receivers recovering from an outage are not hit in lockstep.</param>
/// <param name="MaxRetryAfter">Upper bound on a receiver's <c>Retry-After</c>, so a wrong header cannot park a delivery for ever.</param>
public sealed record DeliverySchedule(IReadOnlyList<TimeSpan> Delays, double Jitter, TimeSpan MaxRetryAfter)
{
    /// <summary>5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, ±10 %: eight attempts over about 28 hours.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultDelays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    public static DeliverySchedule Default { get; } = new(DefaultDelays, 0.1, TimeSpan.FromHours(24));

    /// <summary>
    /// The next attempt after <paramref name="failedAttempts"/> failures (counting the one that just failed at
    /// <paramref name="now"/>), or null when the schedule is exhausted. <paramref name="random"/> is uniform in [0, 1).
    /// A <paramref name="retryAfter"/> later than the scheduled instant wins (bounded by <see cref="MaxRetryAfter"/>).
    /// </summary>
    public DateTimeOffset? NextAttempt(int failedAttempts, DateTimeOffset now, TimeSpan? retryAfter, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        if (failedAttempts > Delays.Count)
        {
            return null;
        }

        var delay = Delays[failedAttempts - 1];
        var jittered = delay * (1 + (Jitter * ((2 * random) - 1)));
        if (retryAfter is { } asked && asked > jittered)
        {
            jittered = asked < MaxRetryAfter ? asked : MaxRetryAfter;
        }

        return now + jittered;
    }

    /// <summary>
    /// A <c>Retry-After</c> header as a wait from <paramref name="now"/>: delta-seconds or an HTTP date; null when absent,
    /// unparseable or in the past.
    /// </summary>
    public static TimeSpan? RetryAfter(TimeSpan? delta, DateTimeOffset? date, DateTimeOffset now)
    {
        var wait = delta ?? (date is { } at ? at - now : null);
        return wait is { } w && w > TimeSpan.Zero ? w : null;
    }
}

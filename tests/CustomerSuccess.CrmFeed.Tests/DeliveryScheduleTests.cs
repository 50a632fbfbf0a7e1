using CustomerSuccess.CrmFeed.Deliveries;

namespace CustomerSuccess.CrmFeed.Tests;

public sealed class DeliveryScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DeliverySchedule Schedule = DeliverySchedule.Default;

    [Fact]
    public void Default_schedule_is_5s_5min_30min_2h_5h_10h_10h()
    {
        Assert.Equal(
            [TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10)],
            Schedule.Delays);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 300)]
    [InlineData(7, 36_000)]
    public void Jitter_stays_within_ten_percent_either_way(int failedAttempts, int seconds)
    {
        var lowest = Schedule.NextAttempt(failedAttempts, Now, null, 0.0)!.Value - Now;
        var middle = Schedule.NextAttempt(failedAttempts, Now, null, 0.5)!.Value - Now;
        var highest = Schedule.NextAttempt(failedAttempts, Now, null, 0.999_999)!.Value - Now;

        Assert.Equal(TimeSpan.FromSeconds(seconds * 0.9), lowest);
        Assert.Equal(TimeSpan.FromSeconds(seconds), middle);
        Assert.InRange(highest, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(seconds * 1.1));
    }

    [Fact]
    public void After_the_eighth_failed_attempt_the_delivery_has_failed()
    {
        Assert.NotNull(Schedule.NextAttempt(7, Now, null, 0.5));
        Assert.Null(Schedule.NextAttempt(8, Now, null, 0.5));
    }

    [Fact]
    public void A_later_retry_after_wins_an_earlier_one_does_not()
    {
        Assert.Equal(Now.AddMinutes(2), Schedule.NextAttempt(1, Now, TimeSpan.FromMinutes(2), 0.5));
        Assert.Equal(Now.AddMinutes(5), Schedule.NextAttempt(2, Now, TimeSpan.FromSeconds(30), 0.5));
    }

    [Fact]
    public void Retry_after_is_bounded()
    {
        Assert.Equal(Now.AddHours(24), Schedule.NextAttempt(1, Now, TimeSpan.FromDays(30), 0.5));
    }

    [Fact]
    public void Retry_after_is_read_as_seconds_or_as_a_date()
    {
        Assert.Equal(TimeSpan.FromSeconds(120), DeliverySchedule.RetryAfter(TimeSpan.FromSeconds(120), null, Now));
        Assert.Equal(TimeSpan.FromMinutes(10), DeliverySchedule.RetryAfter(null, Now.AddMinutes(10), Now));
        Assert.Null(DeliverySchedule.RetryAfter(null, Now.AddMinutes(-1), Now));
        Assert.Null(DeliverySchedule.RetryAfter(null, null, Now));
    }

    [Fact]
    public void Configured_delays_replace_the_default_so_tests_run_in_seconds()
    {
        var options = new CrmFeedOptions { RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], RetryJitter = 0 };

        var schedule = options.Schedule();

        Assert.Equal(Now.AddSeconds(2), schedule.NextAttempt(2, Now, null, 0.3));
        Assert.Null(schedule.NextAttempt(3, Now, null, 0.3));
    }
}

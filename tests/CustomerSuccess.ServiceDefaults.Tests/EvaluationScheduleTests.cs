using CustomerSuccess.EventSourcing.Scheduling;

namespace CustomerSuccess.ServiceDefaults.Tests;

public sealed class EvaluationScheduleTests
{
    private static readonly EvaluationScheduleOptions Daily = new() { Interval = TimeSpan.FromDays(1), Offset = TimeSpan.FromMinutes(5) };

    [Theory]
    [InlineData("2026-11-24T00:00:00Z", "2026-11-24T00:05:00Z")]
    [InlineData("2026-11-24T00:05:00Z", "2026-11-25T00:05:00Z")]
    [InlineData("2026-11-24T00:04:59Z", "2026-11-24T00:05:00Z")]
    [InlineData("2026-11-24T13:00:00Z", "2026-11-25T00:05:00Z")]
    [InlineData("2026-12-31T23:59:59Z", "2027-01-01T00:05:00Z")]
    public void Daily_runs_fall_five_minutes_after_midnight_utc(string now, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected), Daily.NextRunAfter(DateTimeOffset.Parse(now)));

    [Fact]
    public void Next_run_is_computed_in_utc_whatever_the_offset_of_now()
    {
        var now = DateTimeOffset.Parse("2026-11-24T23:30:00+02:00");
        Assert.Equal(DateTimeOffset.Parse("2026-11-25T00:05:00Z"), Daily.NextRunAfter(now));
    }

    [Theory]
    [InlineData("2026-11-24T10:07:00Z", "2026-11-24T11:00:00Z")]
    [InlineData("2026-11-24T11:00:00Z", "2026-11-24T12:00:00Z")]
    [InlineData("2026-11-24T23:59:00Z", "2026-11-25T00:00:00Z")]
    public void Hourly_runs_are_aligned_to_the_hour(string now, string expected)
    {
        var hourly = new EvaluationScheduleOptions { Interval = TimeSpan.FromHours(1), Offset = TimeSpan.Zero };
        Assert.Equal(DateTimeOffset.Parse(expected), hourly.NextRunAfter(DateTimeOffset.Parse(now)));
    }

    [Fact]
    public void The_next_run_is_always_strictly_in_the_future_and_within_one_interval()
    {
        var start = DateTimeOffset.Parse("2026-01-01T00:00:00Z");
        var schedule = new EvaluationScheduleOptions { Interval = TimeSpan.FromMinutes(37), Offset = TimeSpan.FromMinutes(3) };
        for (var minute = 0; minute < 3000; minute += 7)
        {
            var now = start.AddMinutes(minute).AddSeconds(minute % 60);
            var next = schedule.NextRunAfter(now);
            Assert.True(next > now);
            Assert.True(next - now <= schedule.Interval);
        }
    }
}

using CustomerSuccess.ServiceDefaults.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace CustomerSuccess.ServiceDefaults.Tests.Hosting;

public sealed class PeriodicTimerExtensionsTests
{
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_tick_continues_the_loop()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T12:00:00Z"));
        using var timer = new PeriodicTimer(Period, clock);

        var wait = timer.WaitForNextTickOrStopAsync(CancellationToken.None);
        Assert.False(wait.IsCompleted);
        clock.Advance(Period);

        Assert.True(await wait.WaitAsync(Deadline));
    }

    [Fact]
    public async Task Stopping_the_host_ends_the_loop_without_an_exception()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T12:00:00Z"));
        using var timer = new PeriodicTimer(Period, clock);
        using var stopping = new CancellationTokenSource();

        var wait = timer.WaitForNextTickOrStopAsync(stopping.Token);
        await stopping.CancelAsync();

        Assert.False(await wait.WaitAsync(Deadline));
    }

    [Fact]
    public async Task A_host_already_stopping_ends_the_loop_even_when_a_tick_is_due()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T12:00:00Z"));
        using var timer = new PeriodicTimer(Period, clock);
        clock.Advance(Period);

        Assert.False(await timer.WaitForNextTickOrStopAsync(new CancellationToken(canceled: true)).WaitAsync(Deadline));
    }

    [Fact]
    public async Task A_disposed_timer_ends_the_loop()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T12:00:00Z"));
        var timer = new PeriodicTimer(Period, clock);

        var wait = timer.WaitForNextTickOrStopAsync(CancellationToken.None);
        timer.Dispose();

        Assert.False(await wait.WaitAsync(Deadline));
    }
}

using System.Collections.Concurrent;
using CustomerSuccess.EventSourcing.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerSuccess.ServiceDefaults.Tests;

public sealed class EvaluationSchedulerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Evaluations_run_at_start_up_and_then_each_day_as_the_clock_advances()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T12:00:00Z"));
        var runs = new ConcurrentQueue<DateTimeOffset>();
        await using var provider = Services(clock, runs, runAtStartup: true);
        var scheduler = provider.GetRequiredService<EvaluationScheduler>();
        await scheduler.StartAsync(CancellationToken.None);
        await scheduler.Started.WaitAsync(Deadline);

        await WaitUntil(() => runs.Count == 1);
        Assert.Equal(DateTimeOffset.Parse("2026-11-24T12:00:00Z"), runs.Single());

        await AdvanceUntil(clock, () => runs.Count == 2, TimeSpan.FromHours(13));
        Assert.Equal(DateTimeOffset.Parse("2026-11-25T00:05:00Z"), runs.Last());

        await AdvanceUntil(clock, () => runs.Count == 3, TimeSpan.FromDays(1));
        Assert.Equal(DateTimeOffset.Parse("2026-11-26T00:05:00Z"), runs.Last());
        await scheduler.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_failing_evaluation_does_not_stop_the_others_or_later_runs()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T12:00:00Z"));
        var runs = new ConcurrentQueue<DateTimeOffset>();
        await using var provider = Services(clock, runs, runAtStartup: true, withFailing: true);
        var scheduler = provider.GetRequiredService<EvaluationScheduler>();
        await scheduler.StartAsync(CancellationToken.None);
        await scheduler.Started.WaitAsync(Deadline);

        await WaitUntil(() => runs.Count == 1);
        await AdvanceUntil(clock, () => runs.Count == 2, TimeSpan.FromDays(1));
        Assert.Equal(2, runs.Count);
        await scheduler.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Runs_missed_while_the_clock_jumped_are_made_up_with_their_own_instants()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T12:00:00Z"));
        var runs = new ConcurrentQueue<DateTimeOffset>();
        await using var provider = Services(clock, runs, runAtStartup: false);
        var scheduler = provider.GetRequiredService<EvaluationScheduler>();
        await scheduler.StartAsync(CancellationToken.None);
        await scheduler.Started.WaitAsync(Deadline);

        await AdvanceUntil(clock, () => runs.Count == 3, TimeSpan.FromDays(3));
        Assert.Equal(
            [DateTimeOffset.Parse("2026-11-25T00:05:00Z"), DateTimeOffset.Parse("2026-11-26T00:05:00Z"), DateTimeOffset.Parse("2026-11-27T00:05:00Z")],
            runs.ToArray());
        await scheduler.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Without_run_at_start_up_nothing_runs_before_the_first_scheduled_instant()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T12:00:00Z"));
        var runs = new ConcurrentQueue<DateTimeOffset>();
        await using var provider = Services(clock, runs, runAtStartup: false);
        var scheduler = provider.GetRequiredService<EvaluationScheduler>();
        await scheduler.StartAsync(CancellationToken.None);
        await scheduler.Started.WaitAsync(Deadline);

        clock.Advance(TimeSpan.FromHours(12));
        Assert.Empty(runs);
        await AdvanceUntil(clock, () => runs.Count == 1, TimeSpan.FromMinutes(5));
        Assert.Equal(DateTimeOffset.Parse("2026-11-25T00:05:00Z"), runs.Single());
        await scheduler.StopAsync(CancellationToken.None);
    }

    private static ServiceProvider Services(FakeTimeProvider clock, ConcurrentQueue<DateTimeOffset> runs, bool runAtStartup, bool withFailing = false)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(runs);
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddMetrics();
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        if (withFailing)
        {
            services.AddScheduledEvaluation<FailingEvaluation>();
        }

        services.AddScheduledEvaluation<RecordingEvaluation>();
        services.Configure<EvaluationScheduleOptions>(o => o.RunAtStartup = runAtStartup);
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Moves the fake clock once, then waits (with a deadline) for the run. The scheduler computes each instant
    /// from the previous one, so it does not matter whether it was already waiting when the clock moved.
    /// </summary>
    private static async Task AdvanceUntil(FakeTimeProvider clock, Func<bool> condition, TimeSpan by)
    {
        clock.Advance(by);
        await WaitUntil(condition);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The expected run did not happen in time.");
            await Task.Delay(10);
        }
    }

    private sealed class RecordingEvaluation(ConcurrentQueue<DateTimeOffset> runs) : IScheduledEvaluation
    {
        public Task EvaluateAsync(DateTimeOffset asOf, CancellationToken cancellationToken)
        {
            runs.Enqueue(asOf);
            return Task.CompletedTask;
        }
    }

    private sealed class FailingEvaluation : IScheduledEvaluation
    {
        public Task EvaluateAsync(DateTimeOffset asOf, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom");
    }
}

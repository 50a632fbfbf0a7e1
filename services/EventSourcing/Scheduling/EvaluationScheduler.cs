using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.EventSourcing.Scheduling;

/// <summary>
/// Runs every registered <see cref="IScheduledEvaluation"/> on the schedule, waiting on the injected
/// <see cref="TimeProvider"/> so tests drive it with a fake clock. A failing evaluation is logged and
/// retried at the next run; it never stops the others or the host. Evaluations must be idempotent:
/// with several instances of a service each instance runs them.
/// </summary>
public sealed partial class EvaluationScheduler(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<EvaluationScheduleOptions> options,
    IEnumerable<ScheduledEvaluationRegistration> registrations,
    ILogger<EvaluationScheduler> logger,
    IMeterFactory meters) : BackgroundService
{
    private readonly Counter<long> _runs = meters.Create("CustomerSuccess.Scheduling").CreateCounter<long>("customersuccess.evaluations.runs");
    private readonly Counter<long> _failures = meters.Create("CustomerSuccess.Scheduling").CreateCounter<long>("customersuccess.evaluations.failures");

    private readonly TaskCompletionSource<DateTimeOffset> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The instant of the last completed run.</summary>
    public DateTimeOffset? LastCompletedRun { get; private set; }

    /// <summary>Completes with the instant the schedule started from (lets tests move a fake clock only after it).</summary>
    internal Task<DateTimeOffset> Started => _started.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = options.Value;
        if (!schedule.Enabled)
        {
            return;
        }

        var previous = time.GetUtcNow();
        _started.TrySetResult(previous);
        if (schedule.RunAtStartup)
        {
            await RunAllAsync(previous, stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            // The next instant follows the previous one, not "now": if the clock moved past one or more
            // instants while we were busy, those runs happen at once with their own instants (catch-up).
            var next = schedule.NextRunAfter(previous);
            var now = time.GetUtcNow();
            if (now - next > schedule.Interval * schedule.MaxCatchUpRuns)
            {
                next = schedule.NextRunAfter(now - schedule.Interval);
            }

            var wait = next - now;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, time, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }

            await RunAllAsync(next, stoppingToken);
            previous = next;
        }
    }

    /// <summary>Runs all evaluations as of <paramref name="asOf"/> now (also used by admin endpoints).</summary>
    public async Task RunAllAsync(DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        foreach (var registration in registrations)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var evaluation = (IScheduledEvaluation)scope.ServiceProvider.GetRequiredService(registration.EvaluationType);
                await evaluation.EvaluateAsync(asOf, cancellationToken);
                _runs.Add(1, new KeyValuePair<string, object?>("evaluation", registration.EvaluationType.Name));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception exception)
            {
                _failures.Add(1, new KeyValuePair<string, object?>("evaluation", registration.EvaluationType.Name));
                LogFailed(logger, exception, registration.EvaluationType.Name, asOf);
            }
        }

        LastCompletedRun = asOf;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled evaluation {Evaluation} as of {AsOf} failed; it runs again at the next scheduled instant")]
    private static partial void LogFailed(ILogger logger, Exception exception, string evaluation, DateTimeOffset asOf);
}

/// <summary>Marks an evaluation type the scheduler runs.</summary>
public sealed record ScheduledEvaluationRegistration(Type EvaluationType);

public static class SchedulingExtensions
{
    public static IServiceCollection AddScheduledEvaluation<T>(this IServiceCollection services)
        where T : class, IScheduledEvaluation
    {
        services.AddScoped<T>();
        services.AddSingleton(new ScheduledEvaluationRegistration(typeof(T)));
        if (!services.Any(d => d.ServiceType == typeof(EvaluationScheduler)))
        {
            services.AddOptions<EvaluationScheduleOptions>().BindConfiguration(EvaluationScheduleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
            services.AddSingleton<EvaluationScheduler>();
            services.AddHostedService(sp => sp.GetRequiredService<EvaluationScheduler>());
        }

        return services;
    }
}

using System.Diagnostics.Metrics;
using CustomerSuccess.Contracts.Messaging;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.ServiceDefaults.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CustomerSuccess.EventSourcing.Observability;

/// <summary>
/// Messages waiting in each of this service's error queues, read through <see cref="DeadLetters"/> every 30 seconds in
/// the background: a scrape only reads the cached numbers and never opens a broker connection. While the broker is
/// unreachable the gauge reports nothing (the readiness check names the broker).
/// </summary>
public sealed class DeadLetterGauge : BackgroundService
{
    public const string MeterName = "CustomerSuccess.Messaging";
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private readonly DeadLetters _deadLetters;
    private readonly TimeProvider _time;
    private readonly ILogger<DeadLetterGauge> _logger;
    private readonly IReadOnlyList<string> _queues;
    private volatile IReadOnlyDictionary<string, uint> _counts = new Dictionary<string, uint>();

    public DeadLetterGauge(DeadLetters deadLetters, TimeProvider time, IMeterFactory meters, ILogger<DeadLetterGauge> logger)
    {
        _deadLetters = deadLetters;
        _time = time;
        _logger = logger;
        _queues = QueueNames.All.Where(deadLetters.Owns).ToList();
        meters.Create(MeterName).CreateObservableGauge("customersuccess.dead_letters",
            () => _counts.Select(c => new Measurement<long>(c.Value, new KeyValuePair<string, object?>("messaging.destination.name", c.Key))),
            "{message}", "Messages waiting in the error queue of each consumer queue of this service.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_queues.Count == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(RefreshInterval, _time);
        do
        {
            try
            {
                _counts = await _deadLetters.CountAsync(_queues, stoppingToken);
            }
            // A gauge never stops the host (an unhandled exception in a background service would): it reports nothing instead.
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                _counts = new Dictionary<string, uint>();
                _logger.LogDebug(exception, "Dead letters not counted; the gauge reports nothing until the next reading.");
            }
        }
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken));
    }
}

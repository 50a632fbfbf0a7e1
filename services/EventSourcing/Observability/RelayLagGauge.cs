using System.Diagnostics.Metrics;
using CustomerSuccess.ServiceDefaults.Hosting;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CustomerSuccess.EventSourcing.Observability;

/// <summary>
/// How far each relay and projection shard of this service's event store is behind the log's high-water mark, in events
/// and in seconds of age of the oldest event it has not processed yet. Read from Marten's progression table and the
/// event sequence (two index lookups per shard) every few seconds in the background, so a scrape never waits on the
/// database; while the database is unreachable the gauges report nothing rather than stale numbers.
/// </summary>
public sealed class RelayLagGauge : BackgroundService
{
    public const string MeterName = "CustomerSuccess.EventStore";
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    private readonly IDocumentStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<RelayLagGauge> _logger;
    private volatile IReadOnlyList<ShardLag> _lags = [];

    public RelayLagGauge(IDocumentStore store, TimeProvider time, IMeterFactory meters, ILogger<RelayLagGauge> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("customersuccess.relay.lag", () => _lags.Select(l => new Measurement<long>(l.Events, Tag(l))), "{event}",
            "Events appended to the log that this relay or projection shard has not processed yet.");
        meter.CreateObservableGauge("customersuccess.relay.lag.age", () => _lags.Select(l => new Measurement<double>(l.AgeSeconds, Tag(l))), "s",
            "Age of the oldest event this relay or projection shard has not processed yet (0 when caught up).");
    }

    /// <summary>The last reading, for tests and diagnostics.</summary>
    public IReadOnlyList<ShardLag> Current => _lags;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval, _time);
        do
        {
            try
            {
                _lags = await ReadAsync(stoppingToken);
            }
            // A gauge never stops the host (an unhandled exception in a background service would): it reports nothing instead.
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                _lags = [];
                _logger.LogDebug(exception, "Relay lag not read; the gauge reports nothing until the next reading.");
            }
        }
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken));
    }

    private async Task<IReadOnlyList<ShardLag>> ReadAsync(CancellationToken cancellationToken)
    {
        var schema = _store.Options.Events.DatabaseSchemaName;
        // The 'HighWater…' rows are the daemon's own bookkeeping, not shards. A shard's age is that of the first event
        // after its position (by the sequence, which is the order the daemon reads in).
        var sql = $"""
            select p.name,
                   greatest(h.seq - p.last_seq_id, 0),
                   coalesce(extract(epoch from now() - (select e.timestamp from {schema}.mt_events e
                                                         where e.seq_id > p.last_seq_id order by e.seq_id limit 1)), 0)
            from {schema}.mt_event_progression p
            cross join (select coalesce(max(seq_id), 0) as seq from {schema}.mt_events) h
            where p.name not like 'HighWater%'
            """;
        await using var connection = _store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 5 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var lags = new List<ShardLag>();
        while (await reader.ReadAsync(cancellationToken))
        {
            lags.Add(new ShardLag(reader.GetString(0), reader.GetInt64(1), Math.Max(0, Convert.ToDouble(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return lags;
    }

    private static KeyValuePair<string, object?> Tag(ShardLag lag) => new("customersuccess.relay", lag.Shard);
}

/// <summary>One shard's distance from the high-water mark.</summary>
public sealed record ShardLag(string Shard, long Events, double AgeSeconds);

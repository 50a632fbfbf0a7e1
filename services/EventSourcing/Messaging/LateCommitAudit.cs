using System.Data;
using System.Diagnostics.Metrics;
using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.EventSourcing.Observability;
using CustomerSuccess.ServiceDefaults.Hosting;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CustomerSuccess.EventSourcing.Messaging;

/// <summary>
/// Backstop behind the daemon's gap hold (<see cref="SequenceGapOptions"/>): an event that commits after the daemon
/// skipped its sequence number is relayed anyway. Every look reads, in one snapshot, the high water mark, the last
/// recorded skip and which sequence numbers above the mark are not committed yet. When a new skip appears, the numbers
/// it covers that were uncommitted at the look before it are the only ones a relay can have missed (anything committed
/// then was visible before the mark moved); the audit watches them for <see cref="SequenceGapOptions.AuditHorizon"/>
/// and hands each one that commits to every relay of the store. Consumers de-duplicate by event id, so relaying one
/// that a relay did see is harmless. With nothing above the mark a look is three index lookups.
/// </summary>
public sealed class LateCommitAudit : BackgroundService
{
    /// <summary>Most uncommitted sequence numbers one look records; a skip beyond what the last look saw is audited conservatively.</summary>
    private const int MaxRecorded = 50_000;

    private readonly IDocumentStore _store;
    private readonly StoreOptions _storeOptions;
    private readonly SequenceGapOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LateCommitAudit> _logger;
    private readonly Counter<long> _lateCommits;
    private readonly Counter<long> _rolledBack;
    private readonly Dictionary<long, Watched> _watched = [];
    private readonly SortedSet<long> _toRelay = [];
    private readonly HashSet<long> _late = [];
    private Look? _last;
    private long? _skipCursor;

    public LateCommitAudit(IDocumentStore store, IOptions<SequenceGapOptions> options, TimeProvider time, IMeterFactory meters, ILogger<LateCommitAudit> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        _store = store;
        _storeOptions = (StoreOptions)store.Options;
        _options = options.Value;
        _time = time;
        _logger = logger;
        var meter = meters.Create(RelayLagGauge.MeterName);
        _lateCommits = meter.CreateCounter<long>("customersuccess.relay.late_commits", "{event}",
            "Events that were still uncommitted after the daemon had skipped their sequence number, relayed by the late-commit audit.");
        _rolledBack = meter.CreateCounter<long>("customersuccess.eventstore.skipped_sequences", "{sequence}",
            "Sequence numbers the daemon skipped that never committed within the audit horizon (rolled-back appends).");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.AuditInterval, _time);
        do
        {
            try
            {
                await AuditAsync(stoppingToken);
            }
            // The audit never stops the host; what it has not relayed yet stays queued for the next look.
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                _logger.LogWarning(exception, "Late-commit audit failed; it looks again in {Interval}.", _options.AuditInterval);
            }
        }
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken));
    }

    private async Task AuditAsync(CancellationToken cancellationToken)
    {
        var schema = _store.Options.Events.DatabaseSchemaName;
        await using var connection = _store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        var look = await LookAsync(connection, schema, cancellationToken);
        if (_skipCursor is null)
        {
            // At start-up only the numbers recent skips left uncommitted are watched: what committed while no audit ran
            // is covered by the daemon's hold alone.
            _skipCursor = look.SkippedTo;
            await WatchRecentSkipsAsync(connection, schema, cancellationToken);
        }
        else if (look.SkippedTo > _skipCursor)
        {
            await AuditNewSkipsAsync(connection, schema, cancellationToken);
            _skipCursor = look.SkippedTo;
        }
        else if (_last is not null && look.Mark > _last.Mark)
        {
            // The mark moved with no recorded skip (an operator's advance, say): a number it passed that is still
            // uncommitted now was passed uncommitted, and is watched like a skipped one.
            var passed = _last.Uncommitted.Where(s => s <= look.Mark).ToArray();
            if (passed.Length > 0)
            {
                Watch(await UncommittedOfAsync(connection, schema, passed, cancellationToken), seenAfterSkip: true);
            }
        }

        _last = look;
        await CheckWatchedAsync(connection, schema, cancellationToken);
        if (_toRelay.Count > 0)
        {
            await RelayAsync(cancellationToken);
        }
    }

    /// <summary>The mark, the last skip and the uncommitted numbers above the mark, all as of one snapshot.</summary>
    private static async Task<Look> LookAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        long mark, reserved, skippedTo;
        await using (var state = new NpgsqlCommand(
            $"""
            select coalesce((select last_seq_id from {schema}.mt_event_progression where name = 'HighWaterMark'), 0),
                   (select case when is_called then last_value else last_value - 1 end from {schema}.mt_events_sequence),
                   coalesce((select max(ending_sequence) from {schema}.mt_high_water_skips), 0)
            """, connection, transaction))
        await using (var reader = await state.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (mark, reserved, skippedTo) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }

        var recordedTo = Math.Min(reserved, mark + MaxRecorded);
        var uncommitted = recordedTo > mark
            ? await MissingAsync(connection, transaction, schema, mark, recordedTo, cancellationToken)
            : [];
        await transaction.CommitAsync(cancellationToken);
        return new Look(mark, recordedTo, skippedTo, uncommitted);
    }

    private async Task AuditNewSkipsAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        foreach (var (from, to) in await SkipsAsync(connection, schema, "ending_sequence > @after", _skipCursor!.Value, cancellationToken))
        {
            var last = _last;
            if (last is not null && last.Mark <= from && last.RecordedTo >= to)
            {
                // The look before the skip saw every number in it: only those uncommitted then can have been missed.
                Watch(last.Uncommitted.Where(s => s > from && s <= to), seenAfterSkip: false);
            }
            else
            {
                // The last look did not cover the skipped range: relay what is in it now, watch what is not.
                await using (var present = new NpgsqlCommand($"select seq_id from {schema}.mt_events where seq_id > {from} and seq_id <= {to}", connection))
                await using (var reader = await present.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        _toRelay.Add(reader.GetInt64(0));
                    }
                }

                Watch(await MissingAsync(connection, null, schema, from, to, cancellationToken), seenAfterSkip: true);
            }
        }
    }

    private async Task WatchRecentSkipsAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        var since = _time.GetUtcNow() - _options.AuditHorizon;
        foreach (var (from, to) in await SkipsAsync(connection, schema, "timestamp > @after", since, cancellationToken))
        {
            Watch(await MissingAsync(connection, null, schema, from, Math.Min(to, from + MaxRecorded), cancellationToken), seenAfterSkip: true);
        }
    }

    /// <summary>
    /// Watches numbers a skip passed. <paramref name="seenAfterSkip"/>: known to be uncommitted after the skip, so if one
    /// commits a relay certainly missed it (otherwise it may have committed between the last look and the skip).
    /// </summary>
    private void Watch(IEnumerable<long> sequences, bool seenAfterSkip)
    {
        var until = _time.GetUtcNow() + _options.AuditHorizon;
        foreach (var sequence in sequences)
        {
            _watched.TryAdd(sequence, new Watched(until, seenAfterSkip));
        }
    }

    /// <summary>Moves watched numbers that have committed to the relay queue, and lets go of those past the horizon.</summary>
    private async Task CheckWatchedAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        if (_watched.Count == 0)
        {
            return;
        }

        var watched = _watched.Keys.ToArray();
        var uncommitted = (await UncommittedOfAsync(connection, schema, watched, cancellationToken)).ToHashSet();
        foreach (var sequence in watched)
        {
            if (uncommitted.Contains(sequence))
            {
                _watched[sequence] = _watched[sequence] with { SeenAfterSkip = true };
                continue;
            }

            if (_watched[sequence].SeenAfterSkip)
            {
                _late.Add(sequence);
            }

            _watched.Remove(sequence);
            _toRelay.Add(sequence);
        }

        var now = _time.GetUtcNow();
        var expired = _watched.Where(w => w.Value.Until <= now).Select(w => w.Key).ToList();
        foreach (var sequence in expired)
        {
            _watched.Remove(sequence);
        }

        if (expired.Count > 0)
        {
            _rolledBack.Add(expired.Count);
            if (_logger.IsEnabled(LogLevel.Information))
            {
                _logger.LogInformation("{Count} skipped sequence numbers did not commit within {Horizon}: counted as rolled-back appends.", expired.Count, _options.AuditHorizon);
            }
        }
    }

    /// <summary>Hands the queued events to every relay of the store, in sequence order, a page at a time.</summary>
    private async Task RelayAsync(CancellationToken cancellationToken)
    {
        var relays = _storeOptions.Projections.AllShards().Select(s => s.Factory).OfType<BrokerRelay>().Distinct().ToList();
        var sequences = _toRelay.ToArray();
        await using var session = _store.LightweightSession();
        var events = await session.Events.QueryAllRawEvents().Where(e => sequences.Contains(e.Sequence)).OrderBy(e => e.Sequence).ToListAsync(cancellationToken);
        foreach (var page in events.Chunk(500))
        {
            foreach (var relay in relays)
            {
                var range = new EventRange(new ShardName(relay.Name), page[0].Sequence - 1, page[^1].Sequence, agent: null!) { Events = [.. page] };
                await relay.ProcessEventsAsync(range, new LateCommitController(relay), session, cancellationToken);
            }

            foreach (var relayed in page)
            {
                _toRelay.Remove(relayed.Sequence);
            }
        }

        _toRelay.Clear();
        var late = events.Where(e => _late.Contains(e.Sequence)).ToList();
        _late.Clear();
        if (events.Count > late.Count && _logger.IsEnabled(LogLevel.Debug))
        {
            _logger.LogDebug("Relayed {Count} events again that committed around a skip of their sequence numbers.", events.Count - late.Count);
        }

        if (late.Count > 0)
        {
            _lateCommits.Add(late.Count);
            if (!_logger.IsEnabled(LogLevel.Warning))
            {
                return;
            }

            var projections = _storeOptions.Projections.All.Where(p => p.Lifecycle == ProjectionLifecycle.Async).Select(p => p.Name).ToList();
            _logger.LogWarning(
                "Relayed {Count} events (sequence {First}..{Last}) that committed after the daemon had skipped their sequence numbers, to {Relays}. "
                + "Async projections that may lack them and need a rebuild: {Projections}.",
                late.Count, late[0].Sequence, late[^1].Sequence, string.Join(", ", relays.Select(r => r.Name)),
                projections.Count == 0 ? "none" : string.Join(", ", projections));
        }
    }

    private static async Task<List<(long From, long To)>> SkipsAsync(
        NpgsqlConnection connection, string schema, string condition, object after, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"select starting_sequence, ending_sequence from {schema}.mt_high_water_skips where {condition} order by ending_sequence", connection);
        command.Parameters.AddWithValue("after", after);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var skips = new List<(long, long)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            skips.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }

        return skips;
    }

    /// <summary>The sequence numbers in (<paramref name="from"/>, <paramref name="to"/>] with no committed event.</summary>
    private static async Task<long[]> MissingAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema, long from, long to, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            select s from generate_series(@from + 1, @to) s
            where not exists (select 1 from {schema}.mt_events e where e.seq_id = s)
            """, connection, transaction);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var missing = new List<long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            missing.Add(reader.GetInt64(0));
        }

        return [.. missing];
    }

    /// <summary>Those of <paramref name="sequences"/> with no committed event.</summary>
    private static async Task<long[]> UncommittedOfAsync(NpgsqlConnection connection, string schema, long[] sequences, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"select s from unnest(@sequences) s where not exists (select 1 from {schema}.mt_events e where e.seq_id = s)", connection);
        command.Parameters.AddWithValue("sequences", sequences);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var uncommitted = new List<long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            uncommitted.Add(reader.GetInt64(0));
        }

        return [.. uncommitted];
    }

    /// <summary>A skipped number being watched: until when, and whether it was seen uncommitted after the skip.</summary>
    private readonly record struct Watched(DateTimeOffset Until, bool SeenAfterSkip);

    /// <summary>One snapshot: the mark, how far it recorded uncommitted numbers, the last skip, and those numbers.</summary>
    private sealed record Look(long Mark, long RecordedTo, long SkippedTo, long[] Uncommitted);

    /// <summary>
    /// What a relay is handed outside the daemon. Relays publish and return; none of them saves progress or reports
    /// through the controller, and a late event's position is already behind the relay's own.
    /// </summary>
    private sealed class LateCommitController(BrokerRelay relay) : ISubscriptionController
    {
        public ShardExecutionMode Mode => ShardExecutionMode.Continuous;

        public ErrorHandlingOptions ErrorOptions { get; } = new();

        public ShardName Name { get; } = new(relay.Name);

        public AsyncOptions Options => relay.Options;

        public ValueTask MarkSuccessAsync(long processedCeiling) => ValueTask.CompletedTask;

        public Task ReportCriticalFailureAsync(Exception ex) => Task.FromException(ex);

        public Task ReportCriticalFailureAsync(Exception ex, long lastProcessed) => Task.FromException(ex);

        public Task RecordDeadLetterEventAsync(IEvent @event, Exception ex) => Task.FromException(ex);
    }
}

using System.Diagnostics.Metrics;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CustomerSuccess.EventSourcing.EventStore;

/// <summary>
/// Deletes applied ids older than <see cref="EventStoreOptions.AppliedIdRetention"/> every
/// <see cref="EventStoreOptions.AppliedIdPruneInterval"/>, in batches of <see cref="EventStoreOptions.AppliedIdPruneBatchSize"/>
/// (one short transaction each, by the <c>applied_at</c> index), so the ledger stops growing with history. Several
/// instances may prune at once: a delete is idempotent. Counts what it pruned and reports the ledger's size (the
/// planner's estimate, read after each run: no count over the table).
/// </summary>
public sealed partial class AppliedEventPruning : BackgroundService
{
    public const string MeterName = "CustomerSuccess.EventStore.Ledger";

    private readonly IDocumentStore _store;
    private readonly IOptions<EventStoreOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AppliedEventPruning> _logger;
    private readonly Counter<long> _pruned;
    private long _size = -1;

    public AppliedEventPruning(IDocumentStore store, IOptions<EventStoreOptions> options, TimeProvider time, IMeterFactory meters, ILogger<AppliedEventPruning> logger)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        var meter = meters.Create(MeterName);
        _pruned = meter.CreateCounter<long>("customersuccess.ledger.ids.pruned", "{id}", "Applied event ids deleted after the retention period.");
        meter.CreateObservableGauge("customersuccess.ledger.ids", ReadSize, "{id}", "Applied event ids kept (estimate, refreshed after each pruning run).");
    }

    /// <summary>Deletes every id applied before <paramref name="now"/> minus the retention, batch by batch.</summary>
    /// <returns>How many ids were deleted.</returns>
    public async Task<long> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = _options.Value;
        var cutoff = (now - settings.AppliedIdRetention).ToUniversalTime();
        var table = AppliedEventTable.QualifiedName(_store.Options.DatabaseSchemaName);
        await using var connection = _store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        long total = 0;
        int deleted;
        do
        {
            await using var delete = new NpgsqlCommand(
                $"delete from {table} where id in (select id from {table} where applied_at < $1 limit $2)", connection);
            delete.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = cutoff });
            delete.Parameters.Add(new NpgsqlParameter<int> { TypedValue = settings.AppliedIdPruneBatchSize });
            deleted = await delete.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            _pruned.Add(deleted);
        }
        while (deleted == settings.AppliedIdPruneBatchSize);

        await using var size = new NpgsqlCommand($"select greatest(reltuples, 0)::bigint from pg_class where oid = '{table}'::regclass", connection);
        Interlocked.Exchange(ref _size, Convert.ToInt64(await size.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture));
        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var pruned = await PruneAsync(_time.GetUtcNow(), stoppingToken);
                if (pruned > 0)
                {
                    LogPruned(pruned, _options.Value.AppliedIdRetention);
                }
            }
            // Pruning never stops the host; while the database is down it tries again at the next interval.
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(exception);
            }

            try
            {
                await Task.Delay(_options.Value.AppliedIdPruneInterval, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private IEnumerable<Measurement<long>> ReadSize()
    {
        var size = Interlocked.Read(ref _size);
        return size < 0 ? [] : [new Measurement<long>(size)];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} applied event ids older than {Retention}.")]
    private partial void LogPruned(long count, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning applied event ids failed; trying again at the next interval.")]
    private partial void LogFailed(Exception exception);
}

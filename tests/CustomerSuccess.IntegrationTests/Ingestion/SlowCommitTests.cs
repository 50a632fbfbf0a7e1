using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Ingestion.Relay;
using CustomerSuccess.IntegrationTests.Infrastructure;
using Marten;
using Marten.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CustomerSuccess.IntegrationTests.Ingestion;

/// <summary>
/// A commit that is merely slow is never skipped by a relay: an append held open past the daemon's stale-sequence
/// threshold, while later appends commit around it, still reaches every consumer once it commits, even when the daemon
/// skipped it meanwhile; and an append that rolls back does not stop the relay for good.
/// </summary>
public sealed class SlowCommitTests(SlowCommitPlatform platform) : IClassFixture<SlowCommitPlatform>
{
    private static readonly string[] Consumers = ["healthscore", "lifecycle", "renewal"];

    private string Schema => platform.Schema("ingestion");

    private IDocumentStore Store => platform.Ingestion.Services.GetRequiredService<IDocumentStore>();

    [Fact]
    public async Task An_append_committed_long_after_later_ones_still_reaches_every_consumer()
    {
        var (held, later) = await HoldGapAsync("slow", "after-slow");

        // The daemon holds before the open transaction's sequence number instead of skipping it: nothing behind it
        // has been relayed yet either.
        Assert.True(await HighWaterMarkAsync() < held.Sequence, "the high water mark passed a sequence number an open transaction holds");
        Assert.True(await RelayPositionAsync() < held.Sequence, "the relay passed a sequence number an open transaction holds");

        await held.Transaction.CommitAsync();
        await held.DisposeAsync();

        await Eventually.ReachesAsync(
            () => MissingAsync([held.EventId, .. later]),
            missing => missing.Ids.Count == 0,
            "the slow append and everything committed after it to be applied by every consumer");
        foreach (var service in Consumers)
        {
            var counts = await StoredEvents.CountByIdAsync(platform, service, [held.EventId, .. later]);
            Assert.All(counts, pair => Assert.True(pair.Value == 1, $"{service} applied {pair.Key} {pair.Value} times"));
        }
    }

    [Fact]
    public async Task An_append_that_rolls_back_does_not_stop_the_relay()
    {
        var (held, later) = await HoldGapAsync("rolled-back", "after-rollback");
        await held.Transaction.RollbackAsync();
        await held.DisposeAsync();

        await Eventually.ReachesAsync(
            () => MissingAsync(later),
            missing => missing.Ids.Count == 0,
            "the events committed after the rolled-back append to be applied by every consumer");
        foreach (var service in Consumers)
        {
            Assert.Equal(0, (await StoredEvents.CountByIdAsync(platform, service, [held.EventId]))[held.EventId]);
        }

        // The daemon passed the dead sequence number and said so, in the table operators and the gap audit read.
        Assert.True(await SkipCoversAsync(held.Sequence), $"no recorded skip covers sequence {held.Sequence}");
    }

    [Fact]
    public async Task An_append_committed_after_the_daemon_skipped_it_still_reaches_every_consumer()
    {
        var (held, later) = await HoldGapAsync("skipped-live", "after-skipped");

        // The daemon skips the gap although its transaction is alive (what Marten's SkipStaleGapsDespiteLiveTransactionsAfter
        // cap, which the service refuses, or a detector defect would do), with the statement its detector runs: the
        // relay moves on without the open transaction's event.
        await ScalarAsync(
            $"SELECT {Schema}.mt_mark_progression_with_skip('HighWaterMark', (SELECT max(seq_id) FROM {Schema}.mt_events), {held.Sequence - 1})");
        await Eventually.ReachesAsync(() => MissingAsync(later), missing => missing.Ids.Count == 0, "the relay to move past the open transaction");

        await held.Transaction.CommitAsync();
        await held.DisposeAsync();

        await Eventually.ReachesAsync(
            () => MissingAsync([held.EventId]),
            missing => missing.Ids.Count == 0,
            "the event committed behind the relay's position to be relayed by the late-commit audit and applied by every consumer");
        foreach (var service in Consumers)
        {
            var counts = await StoredEvents.CountByIdAsync(platform, service, [held.EventId, .. later]);
            Assert.All(counts, pair => Assert.True(pair.Value == 1, $"{service} applied {pair.Key} {pair.Value} times"));
        }
    }

    /// <summary>
    /// The gap each test starts from: the relay and the consumers running (one event applied first), then an append held
    /// open, three contracts committed after it, and the daemon stuck at the open append past its stale-sequence threshold.
    /// </summary>
    private async Task<(HeldAppend Held, List<string> Later)> HoldGapAsync(string heldPrefix, string laterPrefix)
    {
        using var client = Platform.Client(platform.Ingestion, Platform.IngestKey);
        var first = await PostContractsAsync(client, "warm-up", 1);
        await Eventually.ReachesAsync(() => MissingAsync(first), missing => missing.Ids.Count == 0, "the warm-up event to be applied");

        var held = await HoldOpenAppendAsync(heldPrefix);
        try
        {
            var later = await PostContractsAsync(client, laterPrefix, 3);
            await WaitUntilStuckPastThresholdAsync(held.Sequence);
            return (held, later);
        }
        catch
        {
            // A set-up that fails must not leave the open transaction holding the gap for the next test of the class.
            await held.DisposeAsync();
            throw;
        }
    }

    /// <summary>A contract signed in a Marten session enlisted in a transaction the test commits or rolls back later.</summary>
    private async Task<HeldAppend> HoldOpenAppendAsync(string prefix)
    {
        var connection = new NpgsqlConnection(platform.Servers.Postgres);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        var customerId = Envelopes.NewCustomerId(prefix);
        var eventId = $"{customerId}-held";
        var now = DateTimeOffset.UtcNow;
        await using (var session = Store.LightweightSession(SessionOptions.ForTransaction(transaction)))
        {
            session.Events.Append(customerId, new ContractSigned
            {
                EventId = eventId,
                CustomerId = customerId,
                OccurredAt = now.AddDays(-1),
                ReceivedAt = now,
                ContractId = $"{customerId}-contract",
                Arr = 12000,
                Currency = "EUR",
                Seats = 10,
                StartsOn = DateOnly.FromDateTime(now.UtcDateTime),
                EndsOn = DateOnly.FromDateTime(now.UtcDateTime).AddDays(365),
            });
            await session.SaveChangesAsync();
        }

        await using var sequence = new NpgsqlCommand($"SELECT seq_id FROM {Schema}.mt_events WHERE stream_id = @stream", connection, transaction);
        sequence.Parameters.AddWithValue("stream", customerId);
        return new HeldAppend(connection, transaction, eventId, (long)(await sequence.ExecuteScalarAsync())!);
    }

    private static async Task<List<string>> PostContractsAsync(HttpClient client, string prefix, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var customerId = Envelopes.NewCustomerId(prefix);
            var id = $"{customerId}-contract";
            var response = await client.PostAsJsonAsync("/v1/events", new[] { Envelopes.ContractSigned(customerId, id) });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids.Add(id);
        }

        return ids;
    }

    /// <summary>
    /// Waits until the daemon has seen the gap at <paramref name="sequence"/> stuck for twice its stale-sequence
    /// threshold: long enough that a daemon skipping by the clock alone would have skipped it.
    /// </summary>
    private async Task WaitUntilStuckPastThresholdAsync(long sequence)
    {
        var threshold = ((StoreOptions)Store.Options).Projections.StaleSequenceThreshold;
        await Eventually.ReachesAsync(
            async () =>
            {
                await using var connection = new NpgsqlConnection(platform.Servers.Postgres);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(
                    $"SELECT last_seq_id, extract(epoch FROM now() - last_updated)::float8 FROM {Schema}.mt_event_progression WHERE name = 'HighWaterStuckGap'",
                    connection);
                await using var reader = await command.ExecuteReaderAsync();
                return await reader.ReadAsync() ? (Mark: reader.GetInt64(0), AgeSeconds: reader.GetDouble(1)) : (Mark: -1L, AgeSeconds: 0d);
            },
            stuck => stuck.Mark == sequence - 1 && stuck.AgeSeconds > 2 * threshold.TotalSeconds,
            $"the daemon to see the gap at {sequence} stuck for more than {2 * threshold.TotalSeconds} s");
    }

    private Task<long> HighWaterMarkAsync() => ScalarAsync($"SELECT last_seq_id FROM {Schema}.mt_event_progression WHERE name = 'HighWaterMark'");

    private Task<long> RelayPositionAsync() =>
        ScalarAsync($"SELECT last_seq_id FROM {Schema}.mt_event_progression WHERE name LIKE '{EventLogRelay.RelayName}%'");

    private async Task<bool> SkipCoversAsync(long sequence) =>
        await ScalarAsync($"SELECT count(*) FROM {Schema}.mt_high_water_skips WHERE starting_sequence < {sequence} AND ending_sequence >= {sequence}") > 0;

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(platform.Servers.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>The ids some consumer has not applied yet (a contract signing reaches all three).</summary>
    private async Task<Missing> MissingAsync(IReadOnlyCollection<string> ids)
    {
        var missing = new List<string>();
        foreach (var service in Consumers)
        {
            var counts = await StoredEvents.CountByIdAsync(platform, service, ids);
            missing.AddRange(counts.Where(pair => pair.Value == 0).Select(pair => $"{service}:{pair.Key}"));
        }

        return new Missing(missing, [.. platform.AuditLog]);
    }

    private sealed record Missing(IReadOnlyList<string> Ids, IReadOnlyList<string> AuditLog)
    {
        public override string ToString() =>
            (Ids.Count == 0 ? "none missing" : "missing " + string.Join(", ", Ids))
            + (AuditLog.Count == 0 ? "" : "; late-commit audit said: " + string.Join(" | ", AuditLog.TakeLast(5)));
    }

    private sealed record HeldAppend(NpgsqlConnection Connection, NpgsqlTransaction Transaction, string EventId, long Sequence) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }
}

/// <summary>The platform, keeping what the late-commit audit logs so a failed wait says what it saw.</summary>
public sealed class SlowCommitPlatform : Platform
{
    public ConcurrentQueue<string> AuditLog { get; } = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.AddSingleton<ILoggerProvider>(new AuditLogProvider(AuditLog));
    }

    private sealed class AuditLogProvider(ConcurrentQueue<string> log) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) =>
            categoryName.EndsWith(".LateCommitAudit", StringComparison.Ordinal) ? new AuditLogger(log) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void Dispose()
        {
        }
    }

    private sealed class AuditLogger(ConcurrentQueue<string> log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            log.Enqueue($"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.GetType().Name + ": " + exception.Message)}");
        }
    }
}

using CustomerSuccess.CrmFeed.Envelopes;
using Npgsql;
using NpgsqlTypes;

namespace CustomerSuccess.CrmFeed.Store;

/// <summary>One page of the pull feed: the stored bytes in feed order, and the position of the last.</summary>
public sealed record FeedPage(IReadOnlyList<ReadOnlyMemory<byte>> Events, long LastPosition);

/// <summary>
/// Every CRM feed event once (by id), numbered by a feed position that increases in commit order, stored together
/// with a pending delivery for every enabled webhook whose filter matches: one transaction, so an event is never in
/// the feed without its deliveries, nor delivered without being in the feed.
/// </summary>
public sealed class FeedStore(CrmFeedDatabase database)
{
    /// <summary>Stores a received event and queues its deliveries; false when the id was stored before (redelivery, replay).</summary>
    public async Task<bool> StoreAsync(CloudEventAttributes attributes, ReadOnlyMemory<byte> body, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stored = await InsertAsync(connection, transaction, attributes, body, inFeed: true, now, onlyWebhook: null, cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    /// <summary>
    /// Inserts within the caller's transaction. The advisory lock makes positions commit in order, so a reader that has
    /// seen position n never later finds a smaller one appear (a plain sequence would let a slower transaction commit
    /// a smaller position after a larger one was read).
    /// <paramref name="onlyWebhook"/> queues a delivery to that endpoint alone (test events, not in the feed);
    /// <paramref name="announce"/> marks an event the feed itself emitted for publication on the exchange.
    /// </summary>
    internal async Task<bool> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CloudEventAttributes attributes, ReadOnlyMemory<byte> body,
        bool inFeed, DateTimeOffset now, string? onlyWebhook, bool announce = false, CancellationToken cancellationToken = default)
    {
        var sql = $"""
            SELECT pg_advisory_xact_lock(hashtext('{database.Schema}.crm_feed_position'));
            INSERT INTO {database.Events} (position, id, type, subject, time, in_feed, announce_pending, body, stored_at)
            SELECT nextval('{database.PositionSequence}'), @id, @type, @subject, @time, @in_feed, @announce, @body, @now
            WHERE NOT EXISTS (SELECT 1 FROM {database.Events} WHERE id = @id);
            """;
        await using var insert = new NpgsqlCommand(sql, connection, transaction);
        insert.Parameters.AddWithValue("id", attributes.Id);
        insert.Parameters.AddWithValue("type", attributes.Type);
        insert.Parameters.AddWithValue("subject", attributes.Subject);
        insert.Parameters.AddWithValue("time", attributes.Time.ToUniversalTime());
        insert.Parameters.AddWithValue("in_feed", inFeed);
        insert.Parameters.AddWithValue("announce", announce);
        insert.Parameters.Add(new NpgsqlParameter("body", NpgsqlDbType.Bytea) { Value = body.ToArray() });
        insert.Parameters.AddWithValue("now", now.ToUniversalTime());
        if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return false;
        }

        var filter = onlyWebhook is null
            ? "w.enabled AND (cardinality(w.types) = 0 OR @type = ANY (w.types))"
            : "w.id = @webhook";
        await using var queue = new NpgsqlCommand(
            $"""
            INSERT INTO {database.Deliveries} (webhook_id, event_id, status, attempts, next_attempt_at, created_at)
            SELECT w.id, @id, 'pending', 0, @now, @now FROM {database.Webhooks} w WHERE {filter}
            """,
            connection, transaction);
        queue.Parameters.AddWithValue("id", attributes.Id);
        queue.Parameters.AddWithValue("type", attributes.Type);
        queue.Parameters.AddWithValue("now", now.ToUniversalTime());
        queue.Parameters.AddWithValue("webhook", (object?)onlyWebhook ?? DBNull.Value);
        await queue.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }

    /// <summary>Feed events after <paramref name="after"/> in feed order, optionally of some types or one customer.</summary>
    public async Task<FeedPage> ReadAsync(long after, IReadOnlyList<string> types, string? customerId, int limit, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            $"""
            SELECT position, body FROM {database.Events}
            WHERE in_feed AND position > @after
              AND (cardinality(@types) = 0 OR type = ANY (@types))
              AND (@customer::text IS NULL OR subject = @customer)
            ORDER BY position LIMIT @limit
            """);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = types.ToArray() });
        command.Parameters.Add(new NpgsqlParameter("customer", NpgsqlDbType.Text) { Value = (object?)customerId ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", limit);
        var events = new List<ReadOnlyMemory<byte>>();
        var last = after;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            last = reader.GetInt64(0);
            events.Add((byte[])reader.GetValue(1));
        }

        return new FeedPage(events, last);
    }

    /// <summary>
    /// Publishes the events the feed itself emitted (webhook disabled) on the exchange, then clears their mark: an outbox,
    /// so a broker outage delays the announcement instead of losing it. Rows are locked while publishing, so two
    /// instances do not both announce one event (a crash between publish and commit announces it again, same id).
    /// </summary>
    public async Task<int> AnnounceAsync(Func<IReadOnlyList<CloudEventEnvelope>, CancellationToken, Task> publish, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var envelopes = new List<CloudEventEnvelope>();
        await using (var pending = new NpgsqlCommand(
            $"SELECT id, type, subject, time, body FROM {database.Events} WHERE announce_pending ORDER BY position LIMIT 100 FOR UPDATE SKIP LOCKED",
            connection, transaction))
        await using (var reader = await pending.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var body = (byte[])reader.GetValue(4);
                using var document = System.Text.Json.JsonDocument.Parse(body);
                var root = document.RootElement;
                envelopes.Add(new CloudEventEnvelope(
                    reader.GetString(0), reader.GetString(1), root.GetProperty("source").GetString()!, reader.GetString(2),
                    reader.GetFieldValue<DateTimeOffset>(3), root.GetProperty("sequence").GetString()!, body));
            }
        }

        if (envelopes.Count == 0)
        {
            return 0;
        }

        await publish(envelopes, cancellationToken);
        await using (var done = new NpgsqlCommand($"UPDATE {database.Events} SET announce_pending = false WHERE id = ANY (@ids)", connection, transaction))
        {
            done.Parameters.AddWithValue("ids", envelopes.Select(e => e.Id).ToArray());
            await done.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return envelopes.Count;
    }
}

using CustomerSuccess.CrmFeed.Envelopes;
using CustomerSuccess.CrmFeed.Webhooks;
using Npgsql;

namespace CustomerSuccess.CrmFeed.Store;

/// <summary>A delivery claimed for one attempt, with what the attempt needs.</summary>
public sealed record ClaimedDelivery(
    string WebhookId, string EventId, int Attempts, string Url, IReadOnlyList<string> Secrets, ReadOnlyMemory<byte> Body);

/// <summary>What one attempt gave.</summary>
public sealed record AttemptOutcome(
    DateTimeOffset AttemptedAt, int? StatusCode, int LatencyMs, string? Error, string? ResponseExcerpt, TimeSpan? RetryAfter)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;

    public bool Gone => StatusCode == 410;
}

/// <summary>An endpoint the dispatcher has just disabled, and the event that says so.</summary>
public sealed record DisabledWebhook(string WebhookId, CloudEventEnvelope Event);

/// <summary>
/// The durable retry schedule: pending deliveries are rows whose <c>next_attempt_at</c> is due. Claiming moves that
/// instant forward by a lease (rows locked with SKIP LOCKED, so two instances never claim the same row), so an
/// instance killed mid-attempt leaves the delivery to be claimed again when the lease passes.
/// </summary>
public sealed class DeliveryQueue(CrmFeedDatabase database, FeedStore feed)
{
    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(int batch, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            $"""
            WITH due AS (
                SELECT d.webhook_id, d.event_id
                FROM {database.Deliveries} d JOIN {database.Webhooks} w ON w.id = d.webhook_id
                WHERE d.status = 'pending' AND d.next_attempt_at <= @now AND w.enabled
                ORDER BY d.next_attempt_at
                LIMIT @batch
                FOR UPDATE OF d SKIP LOCKED)
            UPDATE {database.Deliveries} d SET next_attempt_at = @lease
            FROM due, {database.Webhooks} w, {database.Events} e
            WHERE d.webhook_id = due.webhook_id AND d.event_id = due.event_id AND w.id = d.webhook_id AND e.id = d.event_id
            RETURNING d.webhook_id, d.event_id, d.attempts, w.url, w.secret,
                      CASE WHEN w.previous_secret_until > @now THEN w.previous_secret END, e.body
            """);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        command.Parameters.AddWithValue("lease", (now + lease).ToUniversalTime());
        command.Parameters.AddWithValue("batch", batch);
        var claimed = new List<ClaimedDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var secrets = reader.IsDBNull(5) ? new[] { reader.GetString(4) } : [reader.GetString(4), reader.GetString(5)];
            claimed.Add(new ClaimedDelivery(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), secrets, (byte[])reader.GetValue(6)));
        }

        return claimed;
    }

    /// <summary>
    /// Records an attempt and moves the delivery on: delivered; pending at <paramref name="nextAttempt"/>; or failed
    /// when the schedule is exhausted. A 410, or failures without a success since before
    /// <paramref name="disableFailingSince"/>, disable the endpoint: its pending deliveries fail (recoverable) and a
    /// <c>webhook.disabled.v1</c> event enters the feed, and the exchange's outbox, in the same transaction. An endpoint
    /// deleted during the attempt has nothing left to record.
    /// </summary>
    public async Task<DisabledWebhook?> RecordAsync(
        ClaimedDelivery delivery, AttemptOutcome outcome, DateTimeOffset? nextAttempt, DateTimeOffset disableFailingSince, string service,
        CancellationToken cancellationToken)
    {
        var now = outcome.AttemptedAt.ToUniversalTime();
        var status = outcome.Succeeded ? DeliveryStatus.Delivered : nextAttempt is null || outcome.Gone ? DeliveryStatus.Failed : DeliveryStatus.Pending;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var record = new NpgsqlCommand(
            $"""
            INSERT INTO {database.Attempts} (webhook_id, event_id, attempted_at, status_code, latency_ms, error, response_excerpt, next_attempt_at)
            SELECT @webhook, @event, @now, @code, @latency, @error, @excerpt, @next
            WHERE EXISTS (SELECT 1 FROM {database.Deliveries} WHERE webhook_id = @webhook AND event_id = @event);
            UPDATE {database.Deliveries}
            SET status = @status, attempts = attempts + 1, next_attempt_at = @next, last_attempt_at = @now, last_status_code = @code,
                last_error = @error, delivered_at = CASE WHEN @status = 'delivered' THEN @now ELSE delivered_at END
            WHERE webhook_id = @webhook AND event_id = @event;
            UPDATE {database.Webhooks}
            SET failing_since = CASE WHEN @succeeded THEN NULL ELSE COALESCE(failing_since, @now) END
            WHERE id = @webhook;
            """,
            connection, transaction))
        {
            record.Parameters.AddWithValue("webhook", delivery.WebhookId);
            record.Parameters.AddWithValue("event", delivery.EventId);
            record.Parameters.AddWithValue("now", now);
            record.Parameters.Add(new NpgsqlParameter("code", NpgsqlTypes.NpgsqlDbType.Integer) { Value = (object?)outcome.StatusCode ?? DBNull.Value });
            record.Parameters.AddWithValue("latency", outcome.LatencyMs);
            record.Parameters.Add(new NpgsqlParameter("error", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)outcome.Error ?? DBNull.Value });
            record.Parameters.Add(new NpgsqlParameter("excerpt", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)outcome.ResponseExcerpt ?? DBNull.Value });
            record.Parameters.Add(new NpgsqlParameter("next", NpgsqlTypes.NpgsqlDbType.TimestampTz)
            {
                Value = status == DeliveryStatus.Pending ? nextAttempt!.Value.ToUniversalTime() : DBNull.Value,
            });
            record.Parameters.AddWithValue("status", status);
            record.Parameters.AddWithValue("succeeded", outcome.Succeeded);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        DisabledWebhook? disabled = null;
        if (!outcome.Succeeded)
        {
            var reason = outcome.Gone ? "The receiver answered 410 Gone." : null;
            disabled = await DisableIfDueAsync(connection, transaction, delivery.WebhookId, reason, disableFailingSince.ToUniversalTime(), now, service, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return disabled;
    }

    /// <summary>What waits and what gave up, for the gauges.</summary>
    public async Task<WebhookBacklog> ReadBacklogAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            $"""
            SELECT
                (SELECT count(*) FROM {database.Deliveries} d JOIN {database.Webhooks} w ON w.id = d.webhook_id WHERE d.status = 'pending' AND w.enabled),
                (SELECT min(d.created_at) FROM {database.Deliveries} d JOIN {database.Webhooks} w ON w.id = d.webhook_id WHERE d.status = 'pending' AND w.enabled),
                (SELECT count(*) FROM {database.Deliveries} WHERE status = 'failed'),
                (SELECT count(*) FILTER (WHERE enabled) FROM {database.Webhooks}),
                (SELECT count(*) FILTER (WHERE NOT enabled) FROM {database.Webhooks})
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var oldest = reader.IsDBNull(1) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(1);
        var age = oldest is { } since && now > since ? now - since : TimeSpan.Zero;
        return new WebhookBacklog(reader.GetInt64(0), age, reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
    }

    /// <summary>
    /// Deletes up to <paramref name="batch"/> rows of the delivery log older than <paramref name="before"/>: finished
    /// deliveries (delivered, or failed) last attempted before it, with their attempts, and attempts of still-pending
    /// deliveries made before it (the delivery keeps its attempt count and last outcome). Pending deliveries themselves
    /// are never deleted. Returns the rows deleted.
    /// </summary>
    public async Task<int> PruneAsync(DateTimeOffset before, int batch, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            $"""
            WITH finished AS (
                DELETE FROM {database.Deliveries}
                WHERE (webhook_id, event_id) IN (
                    SELECT webhook_id, event_id FROM {database.Deliveries}
                    WHERE status <> 'pending' AND COALESCE(last_attempt_at, created_at) < @before
                    LIMIT @batch)
                RETURNING 1),
            attempts AS (
                DELETE FROM {database.Attempts}
                WHERE id IN (SELECT id FROM {database.Attempts} WHERE attempted_at < @before LIMIT @batch)
                RETURNING 1)
            SELECT (SELECT count(*) FROM finished) + (SELECT count(*) FROM attempts)
            """);
        command.Parameters.AddWithValue("before", before.ToUniversalTime());
        command.Parameters.AddWithValue("batch", batch);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<DisabledWebhook?> DisableIfDueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string webhookId, string? goneReason, DateTimeOffset failingBefore,
        DateTimeOffset now, string service, CancellationToken cancellationToken)
    {
        // Only the transaction that flips enabled disables: a concurrent attempt on the same endpoint finds it disabled.
        await using var disable = new NpgsqlCommand(
            $"""
            UPDATE {database.Webhooks}
            SET enabled = false, disabled_at = @now,
                disabled_reason = COALESCE(@gone, 'Deliveries failed without a success since ' || to_char(failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '.')
            WHERE id = @webhook AND enabled AND (@gone IS NOT NULL OR failing_since <= @before)
            RETURNING url, disabled_reason, COALESCE(failing_since, @now)
            """,
            connection, transaction);
        disable.Parameters.AddWithValue("webhook", webhookId);
        disable.Parameters.AddWithValue("now", now);
        disable.Parameters.AddWithValue("before", failingBefore);
        disable.Parameters.Add(new NpgsqlParameter("gone", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)goneReason ?? DBNull.Value });
        string url, reason;
        DateTimeOffset failingSince;
        await using (var reader = await disable.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            (url, reason, failingSince) = (reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2));
        }

        await using (var fail = new NpgsqlCommand(
            $"""
            UPDATE {database.Deliveries} SET status = 'failed', next_attempt_at = NULL, last_error = COALESCE(last_error, 'The endpoint was disabled.')
            WHERE webhook_id = @webhook AND status = 'pending'
            """,
            connection, transaction))
        {
            fail.Parameters.AddWithValue("webhook", webhookId);
            await fail.ExecuteNonQueryAsync(cancellationToken);
        }

        var envelope = CrmEvents.WebhookDisabled("whd_" + Guid.NewGuid().ToString("N"), webhookId, url, reason, failingSince, now, service);
        var attributes = new CloudEventAttributes(envelope.Id, envelope.Type, envelope.Subject, envelope.Time);
        await feed.InsertAsync(connection, transaction, attributes, envelope.Body, inFeed: true, now, onlyWebhook: null, announce: true, cancellationToken);
        return new DisabledWebhook(webhookId, envelope);
    }
}

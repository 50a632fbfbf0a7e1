using CustomerSuccess.CrmFeed.Deliveries;
using CustomerSuccess.CrmFeed.Envelopes;
using Npgsql;
using NpgsqlTypes;

namespace CustomerSuccess.CrmFeed.Store;

/// <summary>A webhook endpoint as the API shows it: never its secret.</summary>
public sealed record Webhook(
    string Id,
    string Url,
    IReadOnlyList<string> Types,
    string? Description,
    bool Enabled,
    string? DisabledReason,
    DateTimeOffset? DisabledAt,
    DateTimeOffset? FailingSince,
    DateTimeOffset? PreviousSecretValidUntil,
    DateTimeOffset CreatedAt);

/// <summary>A webhook's secret as shown once, at registration or rotation.</summary>
public sealed record WebhookSecretIssued(string Id, string Secret, DateTimeOffset? PreviousSecretValidUntil);

public sealed record DeliveryAttempt(
    DateTimeOffset AttemptedAt, int? StatusCode, int LatencyMs, string? Error, string? ResponseExcerpt, DateTimeOffset? NextAttemptAt);

/// <summary>One event's delivery to one endpoint, with every attempt.</summary>
public sealed record Delivery(
    string EventId,
    string Type,
    string Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt,
    int? LastStatusCode,
    string? LastError,
    IReadOnlyList<DeliveryAttempt> AttemptLog);

public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Pending, Delivered, Failed];
}

/// <summary>Outcome of an operation on one endpoint.</summary>
public enum WebhookChange
{
    Done,
    NotFound,
    Disabled,
}

/// <summary>The webhook endpoints and their delivery logs.</summary>
public sealed class WebhookStore(CrmFeedDatabase database, FeedStore feed)
{
    private const string Columns =
        "id, url, types, description, enabled, disabled_reason, disabled_at, failing_since, previous_secret_until, created_at";

    public async Task<WebhookSecretIssued> RegisterAsync(string url, IReadOnlyList<string> types, string? description, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = "wh_" + Guid.NewGuid().ToString("N");
        var secret = WebhookSignature.NewSecret();
        await using var command = database.DataSource.CreateCommand(
            $"""
            INSERT INTO {database.Webhooks} (id, url, types, description, secret, enabled, created_at)
            VALUES (@id, @url, @types, @description, @secret, true, @now)
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("url", url);
        command.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = types.ToArray() });
        command.Parameters.Add(new NpgsqlParameter("description", NpgsqlDbType.Text) { Value = (object?)description ?? DBNull.Value });
        command.Parameters.AddWithValue("secret", secret);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new WebhookSecretIssued(id, secret, null);
    }

    public async Task<IReadOnlyList<Webhook>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand($"SELECT {Columns} FROM {database.Webhooks} ORDER BY created_at, id");
        return await ReadWebhooksAsync(command, cancellationToken);
    }

    public async Task<Webhook?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand($"SELECT {Columns} FROM {database.Webhooks} WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return (await ReadWebhooksAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand($"DELETE FROM {database.Webhooks} WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Re-enables an endpoint; its failed deliveries stay failed until recovered.</summary>
    public async Task<bool> EnableAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            $"UPDATE {database.Webhooks} SET enabled = true, disabled_reason = NULL, disabled_at = NULL, failing_since = NULL WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>A new secret; the current one stays valid (and signed with) until <paramref name="now"/> + <paramref name="overlap"/>.</summary>
    public async Task<WebhookSecretIssued?> RotateSecretAsync(string id, TimeSpan overlap, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var secret = WebhookSignature.NewSecret();
        var until = now + overlap;
        await using var command = database.DataSource.CreateCommand(
            $"""
            UPDATE {database.Webhooks} SET previous_secret = secret, previous_secret_until = @until, secret = @secret WHERE id = @id
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("secret", secret);
        command.Parameters.AddWithValue("until", until.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? new WebhookSecretIssued(id, secret, until) : null;
    }

    /// <summary>Queues a <c>webhook.test.v1</c> event to this endpoint only (it is not part of the feed).</summary>
    public async Task<(WebhookChange Change, string? EventId)> SendTestAsync(string id, string service, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var webhook = await GetAsync(id, cancellationToken);
        if (webhook is null)
        {
            return (WebhookChange.NotFound, null);
        }

        if (!webhook.Enabled)
        {
            return (WebhookChange.Disabled, null);
        }

        var envelope = CrmEvents.WebhookTest("test_" + Guid.NewGuid().ToString("N"), id, now, service);
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var attributes = new CloudEventAttributes(envelope.Id, envelope.Type, envelope.Subject, envelope.Time);
        await feed.InsertAsync(connection, transaction, attributes, envelope.Body, inFeed: false, now, onlyWebhook: id, cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (WebhookChange.Done, envelope.Id);
    }

    /// <summary>The newest deliveries of an endpoint (optionally of one status), each with its attempts.</summary>
    public async Task<IReadOnlyList<Delivery>?> DeliveriesAsync(string id, string? status, int limit, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, cancellationToken) is null)
        {
            return null;
        }

        await using var command = database.DataSource.CreateCommand(
            $"""
            SELECT d.event_id, e.type, d.status, d.attempts, d.next_attempt_at, d.created_at, d.delivered_at, d.last_status_code, d.last_error,
                   COALESCE((SELECT json_agg(json_build_object(
                                 'attemptedAt', a.attempted_at, 'statusCode', a.status_code, 'latencyMs', a.latency_ms, 'error', a.error,
                                 'responseExcerpt', a.response_excerpt, 'nextAttemptAt', a.next_attempt_at) ORDER BY a.id)
                             FROM {database.Attempts} a WHERE a.webhook_id = d.webhook_id AND a.event_id = d.event_id), '[]')::text
            FROM {database.Deliveries} d JOIN {database.Events} e ON e.id = d.event_id
            WHERE d.webhook_id = @id AND (@status::text IS NULL OR d.status = @status)
            ORDER BY d.created_at DESC, e.position DESC LIMIT @limit
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.Add(new NpgsqlParameter("status", NpgsqlDbType.Text) { Value = (object?)status ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", limit);
        var deliveries = new List<Delivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            deliveries.Add(new Delivery(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetInt32(3),
                Instant(reader, 4),
                reader.GetFieldValue<DateTimeOffset>(5),
                Instant(reader, 6),
                reader.IsDBNull(7) ? null : reader.GetInt32(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                System.Text.Json.JsonSerializer.Deserialize<List<DeliveryAttempt>>(reader.GetString(9), AttemptJson) ?? []));
        }

        return deliveries;
    }

    /// <summary>Queues one delivery again now (whatever its status), with a fresh retry schedule.</summary>
    public async Task<WebhookChange> RetryAsync(string id, string eventId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var guard = await EnabledGuardAsync(id, cancellationToken);
        if (guard != WebhookChange.Done)
        {
            return guard;
        }

        await using var command = database.DataSource.CreateCommand(
            $"UPDATE {database.Deliveries} SET status = 'pending', attempts = 0, next_attempt_at = @now WHERE webhook_id = @id AND event_id = @event");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("event", eventId);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? WebhookChange.Done : WebhookChange.NotFound;
    }

    /// <summary>Queues again every failed delivery of events stored since <paramref name="since"/>; returns how many.</summary>
    public async Task<(WebhookChange Change, int Requeued)> RecoverAsync(string id, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var guard = await EnabledGuardAsync(id, cancellationToken);
        if (guard != WebhookChange.Done)
        {
            return (guard, 0);
        }

        await using var command = database.DataSource.CreateCommand(
            $"""
            UPDATE {database.Deliveries} SET status = 'pending', attempts = 0, next_attempt_at = @now
            WHERE webhook_id = @id AND status = 'failed' AND created_at >= @since
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("since", since.ToUniversalTime());
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        return (WebhookChange.Done, await command.ExecuteNonQueryAsync(cancellationToken));
    }

    private async Task<WebhookChange> EnabledGuardAsync(string id, CancellationToken cancellationToken) =>
        await GetAsync(id, cancellationToken) switch
        {
            null => WebhookChange.NotFound,
            { Enabled: false } => WebhookChange.Disabled,
            _ => WebhookChange.Done,
        };

    private static readonly System.Text.Json.JsonSerializerOptions AttemptJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    private static DateTimeOffset? Instant(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static async Task<IReadOnlyList<Webhook>> ReadWebhooksAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var webhooks = new List<Webhook>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            webhooks.Add(new Webhook(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetFieldValue<string[]>(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetBoolean(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                Instant(reader, 6),
                Instant(reader, 7),
                Instant(reader, 8),
                reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return webhooks;
    }
}

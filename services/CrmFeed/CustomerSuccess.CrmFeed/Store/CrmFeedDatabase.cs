using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CustomerSuccess.CrmFeed.Store;

/// <summary>The feed's tables, in the hosting service's schema: events by feed position, endpoints, deliveries, attempts.</summary>
public sealed class CrmFeedDatabase(NpgsqlDataSource dataSource, string schema) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public string Schema { get; } = schema;

    public string Events => $"{Schema}.crm_feed_events";
    public string Webhooks => $"{Schema}.crm_webhooks";
    public string Deliveries => $"{Schema}.crm_webhook_deliveries";
    public string Attempts => $"{Schema}.crm_webhook_attempts";
    public string PositionSequence => $"{Schema}.crm_feed_position";

    /// <summary>
    /// Creates the tables if missing. Idempotent and safe when two instances start together (an advisory lock
    /// serialises the DDL, which PostgreSQL's IF NOT EXISTS alone does not make race-free).
    /// </summary>
    public async Task CreateSchemaAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var sql = $"""
            SELECT pg_advisory_xact_lock(hashtext('{Schema}.crm_feed_schema'));
            CREATE SCHEMA IF NOT EXISTS {Schema};
            CREATE SEQUENCE IF NOT EXISTS {PositionSequence};
            CREATE TABLE IF NOT EXISTS {Events} (
                position bigint PRIMARY KEY,
                id text NOT NULL UNIQUE,
                type text NOT NULL,
                subject text NOT NULL,
                time timestamptz NOT NULL,
                in_feed boolean NOT NULL,
                announce_pending boolean NOT NULL DEFAULT false,
                body bytea NOT NULL,
                stored_at timestamptz NOT NULL);
            CREATE INDEX IF NOT EXISTS crm_feed_events_subject ON {Events} (subject, position);
            CREATE INDEX IF NOT EXISTS crm_feed_events_announce ON {Events} (position) WHERE announce_pending;
            CREATE TABLE IF NOT EXISTS {Webhooks} (
                id text PRIMARY KEY,
                url text NOT NULL,
                types text[] NOT NULL,
                description text,
                secret text NOT NULL,
                previous_secret text,
                previous_secret_until timestamptz,
                enabled boolean NOT NULL,
                disabled_reason text,
                disabled_at timestamptz,
                failing_since timestamptz,
                created_at timestamptz NOT NULL);
            CREATE TABLE IF NOT EXISTS {Deliveries} (
                webhook_id text NOT NULL REFERENCES {Webhooks} (id) ON DELETE CASCADE,
                event_id text NOT NULL REFERENCES {Events} (id),
                status text NOT NULL,
                attempts int NOT NULL DEFAULT 0,
                next_attempt_at timestamptz,
                created_at timestamptz NOT NULL,
                last_attempt_at timestamptz,
                last_status_code int,
                last_error text,
                delivered_at timestamptz,
                PRIMARY KEY (webhook_id, event_id));
            CREATE INDEX IF NOT EXISTS crm_webhook_deliveries_due ON {Deliveries} (next_attempt_at) WHERE status = 'pending';
            CREATE TABLE IF NOT EXISTS {Attempts} (
                id bigserial PRIMARY KEY,
                webhook_id text NOT NULL,
                event_id text NOT NULL,
                attempted_at timestamptz NOT NULL,
                status_code int,
                latency_ms int NOT NULL,
                error text,
                response_excerpt text,
                next_attempt_at timestamptz,
                FOREIGN KEY (webhook_id, event_id) REFERENCES {Deliveries} (webhook_id, event_id) ON DELETE CASCADE);
            """;
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}

/// <summary>Creates the feed's tables before the store, the dispatcher and the API start.</summary>
internal sealed class CrmFeedSchemaCreation(CrmFeedDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.CreateSchemaAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

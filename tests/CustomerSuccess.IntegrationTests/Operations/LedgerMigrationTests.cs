using CustomerSuccess.IntegrationTests.Infrastructure;
using Npgsql;

namespace CustomerSuccess.IntegrationTests.Operations;

/// <summary>
/// Upgrading a store whose applied-id ledger is still one Marten document per id: <c>db apply</c> creates the ledger
/// table and copies the ids over with their instants, so a redelivery after the upgrade is still recognised.
/// </summary>
public sealed class LedgerMigrationTests : IAsyncLifetime
{
    private readonly string _schema = $"ledger_mig_{Guid.NewGuid():N}"[..30];
    private TestServerEndpoints _servers = null!;

    public async Task InitializeAsync() => _servers = await TestServers.GetAsync();

    public async Task DisposeAsync() => await ExecuteAsync($"DROP SCHEMA IF EXISTS {_schema} CASCADE");

    [Fact]
    public async Task Db_apply_copies_the_ids_of_the_document_ledger_into_the_ledger_table()
    {
        // The shape Marten gave the AppliedEvent document (id, data, metadata columns).
        await ExecuteAsync($$"""
            CREATE SCHEMA {{_schema}};
            CREATE TABLE {{_schema}}.mt_doc_appliedevent (id varchar PRIMARY KEY, data jsonb NOT NULL,
              mt_last_modified timestamptz DEFAULT transaction_timestamp(), mt_version uuid NOT NULL DEFAULT (md5(random()::text || clock_timestamp()::text)::uuid),
              mt_dotnet_type varchar);
            INSERT INTO {{_schema}}.mt_doc_appliedevent (id, data) VALUES
              ('evt-1', '{"Id": "evt-1", "AppliedAt": "2026-01-02T03:04:05+00:00"}'),
              ('evt-2', '{"Id": "evt-2", "AppliedAt": "2026-02-03T04:05:06+00:00"}');
            """);

        var (exit, output) = await ServiceProcess.RunAsync("healthscore", ["db", "apply"], new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Postgres"] = _servers.Postgres,
            ["EventStore__Schema"] = _schema,
            ["RabbitMq__Uri"] = _servers.RabbitMq.ToString(),
            ["Evaluations__Enabled"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
        }, TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, output);

        await using var connection = new NpgsqlConnection(_servers.Postgres);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand($"SELECT id, applied_at FROM {_schema}.applied_events ORDER BY id", connection);
        await using var reader = await query.ExecuteReaderAsync();
        var rows = new List<(string, DateTimeOffset)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        Assert.Equal(
            [("evt-1", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)), ("evt-2", new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero))],
            rows);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_servers.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

using CustomerSuccess.IntegrationTests.Infrastructure;
using Npgsql;

namespace CustomerSuccess.IntegrationTests.Operations;

/// <summary>
/// In Production a service never changes its schema itself: <c>db patch FILE</c> writes the SQL, <c>db apply</c> creates
/// or updates the schema, and a service started against a schema that lacks changes refuses to start and says why.
/// Each test uses a fresh schema name of its own and drops it afterwards.
/// </summary>
public sealed class SchemaCommandTests : IAsyncLifetime
{
    private readonly string _schema = $"schema_cmd_{Guid.NewGuid():N}"[..30];
    private TestServerEndpoints _servers = null!;

    public async Task InitializeAsync() => _servers = await TestServers.GetAsync();

    public async Task DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(_servers.Postgres);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Db_patch_writes_the_sql_and_db_apply_creates_the_whole_schema_in_a_fresh_schema_name()
    {
        var patch = Path.Combine(Path.GetTempPath(), $"{_schema}.sql");
        try
        {
            var (patchExit, patchOutput) = await RunAsync("db", "patch", patch);
            Assert.True(patchExit == 0, patchOutput);
            var sql = await File.ReadAllTextAsync(patch);
            Assert.Contains($"{_schema}.mt_events", sql, StringComparison.OrdinalIgnoreCase);
            Assert.Empty(await TablesAsync());

            var (applyExit, applyOutput) = await RunAsync("db", "apply");
            Assert.True(applyExit == 0, applyOutput);
            Assert.Contains($"schema {_schema}: applied", applyOutput, StringComparison.Ordinal);
            var tables = await TablesAsync();
            Assert.Contains("mt_events", tables);
            Assert.Contains("mt_streams", tables);
            Assert.Contains("applied_events", tables);
            Assert.Contains("mt_doc_customerfacts", tables);
            Assert.Contains("mt_doc_customerhealth", tables);

            var (againExit, againOutput) = await RunAsync("db", "apply");
            Assert.True(againExit == 0, againOutput);
            Assert.Contains("is up to date; nothing to change", againOutput, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(patch);
        }
    }

    [Fact]
    public async Task A_production_service_started_against_an_unapplied_schema_fails_saying_to_run_db_apply()
    {
        var (exit, output) = await RunAsync();

        Assert.NotEqual(0, exit);
        Assert.Contains($"The event store schema '{_schema}' does not match this version of the service", output, StringComparison.Ordinal);
        Assert.Contains("db apply", output, StringComparison.Ordinal);
        Assert.Empty(await TablesAsync());
    }

    private Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) =>
        ServiceProcess.RunAsync("healthscore", arguments, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["ConnectionStrings__Postgres"] = _servers.Postgres,
            ["EventStore__Schema"] = _schema,
            ["EventStore__DaemonMode"] = "Solo",
            ["RabbitMq__Uri"] = _servers.RabbitMq.ToString(),
            ["Evaluations__Enabled"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
        }, TimeSpan.FromMinutes(2));

    private async Task<List<string>> TablesAsync()
    {
        await using var connection = new NpgsqlConnection(_servers.Postgres);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = @schema", connection);
        query.Parameters.AddWithValue("schema", _schema);
        var tables = new List<string>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}

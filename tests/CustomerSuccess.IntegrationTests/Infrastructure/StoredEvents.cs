using Npgsql;

namespace CustomerSuccess.IntegrationTests.Infrastructure;

/// <summary>Reads what a service stored, straight from its schema, to check "applied exactly once" by event id.</summary>
public static class StoredEvents
{
    /// <summary>How many times each of <paramref name="eventIds"/> is in the service's event streams.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> CountByIdAsync(Platform platform, string service, IReadOnlyCollection<string> eventIds)
    {
        await using var connection = new NpgsqlConnection(platform.Servers.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT data->>'EventId', count(*) FROM {platform.Schema(service)}.mt_events WHERE data->>'EventId' = ANY(@ids) GROUP BY 1",
            connection);
        command.Parameters.AddWithValue("ids", eventIds.ToArray());
        var counts = eventIds.ToDictionary(id => id, _ => 0);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = (int)reader.GetInt64(1);
        }

        return counts;
    }
}

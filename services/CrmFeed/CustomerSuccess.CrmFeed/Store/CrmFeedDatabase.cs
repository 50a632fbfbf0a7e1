using Npgsql;

namespace CustomerSuccess.CrmFeed.Store;

/// <summary>
/// Where the feed's tables are (<see cref="CrmFeedSchema"/>: events by feed position, endpoints, deliveries, attempts),
/// in the hosting service's schema, and the data source the feed reads and writes them with.
/// </summary>
public sealed class CrmFeedDatabase(NpgsqlDataSource dataSource, string schema) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public string Schema { get; } = schema;

    public string Events => $"{Schema}.crm_feed_events";
    public string Webhooks => $"{Schema}.crm_webhooks";
    public string Deliveries => $"{Schema}.crm_webhook_deliveries";
    public string Attempts => $"{Schema}.crm_webhook_attempts";
    public string PositionSequence => $"{Schema}.crm_feed_position";

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}

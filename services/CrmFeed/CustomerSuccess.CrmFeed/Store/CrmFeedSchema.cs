using Weasel.Core;
using CascadeAction = Weasel.Postgresql.CascadeAction;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace CustomerSuccess.CrmFeed.Store;

/// <summary>
/// The feed's tables as schema objects of the host's Marten store, so they follow the host's schema policy: created at
/// start-up outside Production, and in Production applied by the service's <c>db apply</c> (or written by
/// <c>db patch</c>) and checked at start-up like the event store's own tables.
/// </summary>
public static class CrmFeedSchema
{
    public static IReadOnlyList<ISchemaObject> Objects(CrmFeedDatabase database)
    {
        var schema = database.Schema;
        var position = new Sequence($"{schema}.crm_feed_position");

        var events = new Table($"{schema}.crm_feed_events");
        events.AddColumn<long>("position").AsPrimaryKey();
        events.AddColumn("id", "text").NotNull();
        events.AddColumn("type", "text").NotNull();
        events.AddColumn("subject", "text").NotNull();
        events.AddColumn("time", "timestamp with time zone").NotNull();
        events.AddColumn("in_feed", "boolean").NotNull();
        events.AddColumn("announce_pending", "boolean").NotNull().DefaultValueByExpression("false");
        events.AddColumn("body", "bytea").NotNull();
        events.AddColumn("stored_at", "timestamp with time zone").NotNull();
        events.Indexes.Add(new IndexDefinition("crm_feed_events_id") { Columns = ["id"], IsUnique = true });
        events.Indexes.Add(new IndexDefinition("crm_feed_events_subject") { Columns = ["subject", "position"] });
        events.Indexes.Add(new IndexDefinition("crm_feed_events_announce") { Columns = ["announce_pending", "position"] });

        var webhooks = new Table($"{schema}.crm_webhooks");
        webhooks.AddColumn("id", "text").AsPrimaryKey();
        webhooks.AddColumn("url", "text").NotNull();
        webhooks.AddColumn("types", "text[]").NotNull();
        webhooks.AddColumn("description", "text");
        webhooks.AddColumn("secret", "text").NotNull();
        webhooks.AddColumn("previous_secret", "text");
        webhooks.AddColumn("previous_secret_until", "timestamp with time zone");
        webhooks.AddColumn("enabled", "boolean").NotNull();
        webhooks.AddColumn("disabled_reason", "text");
        webhooks.AddColumn("disabled_at", "timestamp with time zone");
        webhooks.AddColumn("failing_since", "timestamp with time zone");
        webhooks.AddColumn("created_at", "timestamp with time zone").NotNull();

        var deliveries = new Table($"{schema}.crm_webhook_deliveries");
        deliveries.AddColumn("webhook_id", "text").AsPrimaryKey()
            .ForeignKeyTo(webhooks, "id", "crm_webhook_deliveries_webhook", CascadeAction.Cascade);
        deliveries.AddColumn("event_id", "text").AsPrimaryKey();
        deliveries.AddColumn("status", "text").NotNull();
        deliveries.AddColumn("attempts", "integer").NotNull().DefaultValueByExpression("0");
        deliveries.AddColumn("next_attempt_at", "timestamp with time zone");
        deliveries.AddColumn("created_at", "timestamp with time zone").NotNull();
        deliveries.AddColumn("last_attempt_at", "timestamp with time zone");
        deliveries.AddColumn("last_status_code", "integer");
        deliveries.AddColumn("last_error", "text");
        deliveries.AddColumn("delivered_at", "timestamp with time zone");
        deliveries.ForeignKeys.Add(new ForeignKey("crm_webhook_deliveries_event")
        {
            LinkedTable = events.Identifier, ColumnNames = ["event_id"], LinkedNames = ["id"],
        });
        deliveries.Indexes.Add(new IndexDefinition("crm_webhook_deliveries_due") { Columns = ["status", "next_attempt_at"] });

        var attempts = new Table($"{schema}.crm_webhook_attempts");
        attempts.AddColumn<long>("id").AsPrimaryKey().BigAutoIncrement();
        attempts.AddColumn("webhook_id", "text").NotNull();
        attempts.AddColumn("event_id", "text").NotNull();
        attempts.AddColumn("attempted_at", "timestamp with time zone").NotNull();
        attempts.AddColumn("status_code", "integer");
        attempts.AddColumn("latency_ms", "integer").NotNull();
        attempts.AddColumn("error", "text");
        attempts.AddColumn("response_excerpt", "text");
        attempts.AddColumn("next_attempt_at", "timestamp with time zone");
        attempts.ForeignKeys.Add(new ForeignKey("crm_webhook_attempts_delivery")
        {
            LinkedTable = deliveries.Identifier, ColumnNames = ["webhook_id", "event_id"], LinkedNames = ["webhook_id", "event_id"],
            OnDelete = CascadeAction.Cascade,
        });
        attempts.Indexes.Add(new IndexDefinition("crm_webhook_attempts_delivery") { Columns = ["webhook_id", "event_id"] });
        // The delivery log's retention deletes by age.
        attempts.Indexes.Add(new IndexDefinition("crm_webhook_attempts_time") { Columns = ["attempted_at"] });

        return [position, events, webhooks, deliveries, attempts];
    }
}

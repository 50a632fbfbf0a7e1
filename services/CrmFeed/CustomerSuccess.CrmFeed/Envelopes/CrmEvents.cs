using System.Text.Json;
using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.CrmFeed.Envelopes;

/// <summary>What a CRM reads next to a risk change without a second call: the customer's current health.</summary>
public sealed record CrmHealth(decimal Score, HealthBand Band, Quadrant Quadrant);

/// <summary>
/// The CRM feed events, built from the services' integration events. Each keeps the service event's stable id, so a
/// relay replaying a page publishes the same event again, and each takes the <c>sequence</c> the relay knows (the
/// customer stream's version or the store's event sequence), so a receiver can drop an older event that arrives late.
/// A change's stored trace context, when it has one, goes along as the <c>traceparent</c> extension.
/// </summary>
public static class CrmEvents
{
    public const string HealthScoreService = "healthscore";
    public const string LifecycleService = "lifecycle";
    public const string RenewalService = "renewal";

    /// <summary>
    /// <paramref name="owner"/>, <paramref name="tier"/> and <paramref name="health"/> are what Renewal's relay knows
    /// of the customer when it relays the change (null when it does not).
    /// </summary>
    public static CloudEventEnvelope RiskChanged(
        CustomerRiskChanged change, long sequence, string? owner, CustomerTier? tier, CrmHealth? health, string? traceParent = null) =>
        CloudEventWriter.Write(change.EventId, CrmEventTypes.RiskChanged, RenewalService, change.CustomerId, change.ChangedAt, sequence, json =>
        {
            json.WriteString("customerId", change.CustomerId);
            json.WriteString("level", Name(change.Level));
            WriteNullable(json, "previousLevel", change.PreviousLevel is { } previous ? Name(previous) : null);
            json.WriteStartArray("reasons");
            foreach (var reason in change.Reasons)
            {
                json.WriteStartObject();
                json.WriteString("code", reason.Code);
                json.WriteString("text", reason.Text);
                json.WriteString("since", CloudEventWriter.Timestamp(reason.Since));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteNullable(json, "contractId", change.ContractId);
            WriteNullable(json, "arr", change.Arr);
            WriteNullable(json, "currency", change.Currency);
            WriteNullable(json, "endsOn", change.EndsOn is { } endsOn ? CloudEventWriter.Date(endsOn) : null);
            WriteNullable(json, "daysToRenewal", change.DaysToRenewal);
            WriteNullable(json, "owner", owner);
            WriteNullable(json, "tier", tier is { } t ? Name(t) : null);
            if (health is null)
            {
                json.WriteNull("health");
            }
            else
            {
                json.WriteStartObject("health");
                json.WriteNumber("score", health.Score);
                json.WriteString("band", Name(health.Band));
                json.WriteString("quadrant", Name(health.Quadrant));
                json.WriteEndObject();
            }

            json.WriteString("changedAt", CloudEventWriter.Timestamp(change.ChangedAt));
        }, traceParent);

    public static CloudEventEnvelope HealthChanged(CustomerHealthChanged change, long sequence, string? traceParent = null) =>
        CloudEventWriter.Write(change.EventId, CrmEventTypes.HealthChanged, HealthScoreService, change.CustomerId, change.EvaluatedAt, sequence, json =>
        {
            json.WriteString("customerId", change.CustomerId);
            json.WriteNumber("score", change.Score);
            json.WriteNumber("outcome", change.Outcome);
            json.WriteNumber("experience", change.Experience);
            json.WriteString("band", Name(change.Band));
            json.WriteString("quadrant", Name(change.Quadrant));
            json.WriteString("trend", Name(change.Trend));
            json.WriteNumber("modelVersion", change.ModelVersion);
            json.WriteStartArray("topReasons");
            foreach (var reason in change.TopReasons)
            {
                json.WriteStringValue(reason);
            }

            json.WriteEndArray();
            json.WriteString("evaluatedAt", CloudEventWriter.Timestamp(change.EvaluatedAt));
        }, traceParent);

    public static CloudEventEnvelope StageChanged(CustomerStageChanged change, long sequence, string? traceParent = null) =>
        CloudEventWriter.Write(change.EventId, CrmEventTypes.StageChanged, LifecycleService, change.CustomerId, change.ChangedAt, sequence, json =>
        {
            json.WriteString("customerId", change.CustomerId);
            json.WriteString("stage", Name(change.Stage));
            WriteNullable(json, "previousStage", change.PreviousStage is { } previous ? Name(previous) : null);
            WriteNullable(json, "reason", change.Reason);
            json.WriteString("changedAt", CloudEventWriter.Timestamp(change.ChangedAt));
        }, traceParent);

    public static CloudEventEnvelope TierChanged(CustomerTierChanged change, long sequence, string? traceParent = null) =>
        CloudEventWriter.Write(change.EventId, CrmEventTypes.TierChanged, LifecycleService, change.CustomerId, change.ChangedAt, sequence, json =>
        {
            json.WriteString("customerId", change.CustomerId);
            json.WriteString("tier", Name(change.Tier));
            WriteNullable(json, "previousTier", change.PreviousTier is { } previous ? Name(previous) : null);
            json.WriteBoolean("pinned", change.Pinned);
            WriteNullable(json, "reason", change.Reason);
            json.WriteString("changedAt", CloudEventWriter.Timestamp(change.ChangedAt));
        }, traceParent);

    /// <summary><paramref name="openedAt"/> is the instant the relay saw the event committed (the contract carries only a date).</summary>
    public static CloudEventEnvelope RenewalWindowOpened(RenewalWindowOpened opened, long sequence, DateTimeOffset openedAt, string? traceParent = null) =>
        CloudEventWriter.Write(opened.EventId, CrmEventTypes.RenewalWindowOpened, RenewalService, opened.CustomerId, openedAt, sequence, json =>
        {
            json.WriteString("customerId", opened.CustomerId);
            json.WriteString("contractId", opened.ContractId);
            json.WriteString("endsOn", CloudEventWriter.Date(opened.EndsOn));
            json.WriteString("openedOn", CloudEventWriter.Date(opened.OpenedOn));
        }, traceParent);

    /// <summary>An endpoint was disabled (410 Gone, or failing for the configured period); the subject is the endpoint id.</summary>
    public static CloudEventEnvelope WebhookDisabled(
        string eventId, string endpointId, string url, string reason, DateTimeOffset failingSince, DateTimeOffset disabledAt, string service = RenewalService) =>
        CloudEventWriter.Write(eventId, CrmEventTypes.WebhookDisabled, service, endpointId, disabledAt, disabledAt.ToUnixTimeMilliseconds(), json =>
        {
            json.WriteString("webhookId", endpointId);
            json.WriteString("url", url);
            json.WriteString("reason", reason);
            json.WriteString("failingSince", CloudEventWriter.Timestamp(failingSince));
            json.WriteString("disabledAt", CloudEventWriter.Timestamp(disabledAt));
        });

    /// <summary>Sent to one endpoint on request, to check the receiver's signature verification; the subject is the endpoint id.</summary>
    public static CloudEventEnvelope WebhookTest(string eventId, string endpointId, DateTimeOffset sentAt, string service = RenewalService) =>
        CloudEventWriter.Write(eventId, CrmEventTypes.WebhookTest, service, endpointId, sentAt, sentAt.ToUnixTimeMilliseconds(), json =>
        {
            json.WriteString("webhookId", endpointId);
            json.WriteString("message", "Test event from CustomerSuccess: if the signature verifies, this endpoint is ready.");
        });

    /// <summary>The wire name of a contract enum (its <c>JsonStringEnumMemberName</c>).</summary>
    private static string Name<T>(T value)
        where T : struct, Enum => JsonSerializer.SerializeToElement(value).GetString()!;

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, decimal? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}

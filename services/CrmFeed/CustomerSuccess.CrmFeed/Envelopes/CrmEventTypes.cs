namespace CustomerSuccess.CrmFeed.Envelopes;

/// <summary>
/// The CloudEvents <c>type</c> of every event on the CRM feed; also the RabbitMQ routing key. A <c>.v1</c> type only
/// ever gains optional fields; a breaking change is a new type (<c>.v2</c>) published alongside.
/// </summary>
public static class CrmEventTypes
{
    public const string RiskChanged = "customersuccess.risk.changed.v1";
    public const string HealthChanged = "customersuccess.health.changed.v1";
    public const string StageChanged = "customersuccess.stage.changed.v1";
    public const string TierChanged = "customersuccess.tier.changed.v1";
    public const string RenewalWindowOpened = "customersuccess.renewal.window_opened.v1";
    public const string WebhookDisabled = "customersuccess.webhook.disabled.v1";
    public const string WebhookTest = "customersuccess.webhook.test.v1";

    public static readonly IReadOnlyList<string> All =
        [RiskChanged, HealthChanged, StageChanged, TierChanged, RenewalWindowOpened, WebhookDisabled, WebhookTest];

    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);

    /// <summary>The <c>dataschema</c> of a type: the <c>$id</c> of <c>contracts/schemas/cloudevents/&lt;type&gt;.schema.json</c>.</summary>
    public static string DataSchema(string type) => $"urn:customersuccess:schema:{type}";
}

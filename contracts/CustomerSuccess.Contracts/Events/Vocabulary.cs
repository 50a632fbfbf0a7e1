using System.Text.Json.Serialization;

namespace CustomerSuccess.Contracts.Events;

/// <summary>Role of a product user, as reported with usage.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UserRole>))]
public enum UserRole
{
    [JsonStringEnumMemberName("executive")] Executive,
    [JsonStringEnumMemberName("operator")] Operator,
    [JsonStringEnumMemberName("finance")] Finance,
    [JsonStringEnumMemberName("admin")] Admin,
    [JsonStringEnumMemberName("other")] Other,
}

/// <summary>Ticket category, in urgency order: incident (outage) &gt; operational question &gt; feature request.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TicketCategory>))]
public enum TicketCategory
{
    [JsonStringEnumMemberName("incident")] Incident,
    [JsonStringEnumMemberName("operational")] Operational,
    [JsonStringEnumMemberName("request")] Request,
}

/// <summary>Ticket priority as set by the support desk.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TicketPriority>))]
public enum TicketPriority
{
    [JsonStringEnumMemberName("urgent")] Urgent,
    [JsonStringEnumMemberName("high")] High,
    [JsonStringEnumMemberName("normal")] Normal,
    [JsonStringEnumMemberName("low")] Low,
}

/// <summary>Survey kind: NPS answers 0–10, CSAT 1–5, CES 1–7 (lower effort is better).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SurveyKind>))]
public enum SurveyKind
{
    [JsonStringEnumMemberName("nps")] Nps,
    [JsonStringEnumMemberName("csat")] Csat,
    [JsonStringEnumMemberName("ces")] Ces,
}

/// <summary>Stakeholder role on the customer's side.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StakeholderRole>))]
public enum StakeholderRole
{
    [JsonStringEnumMemberName("champion")] Champion,
    [JsonStringEnumMemberName("decision_maker")] DecisionMaker,
    [JsonStringEnumMemberName("executive_sponsor")] ExecutiveSponsor,
    [JsonStringEnumMemberName("admin")] Admin,
}

/// <summary>Whether a stakeholder joined or left.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StakeholderChange>))]
public enum StakeholderChange
{
    [JsonStringEnumMemberName("joined")] Joined,
    [JsonStringEnumMemberName("left")] Left,
}

/// <summary>Onboarding and delivery milestones.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Milestone>))]
public enum Milestone
{
    [JsonStringEnumMemberName("handover_completed")] HandoverCompleted,
    [JsonStringEnumMemberName("account_opened")] AccountOpened,
    [JsonStringEnumMemberName("configured")] Configured,
    [JsonStringEnumMemberName("trained")] Trained,
    [JsonStringEnumMemberName("first_value")] FirstValue,
    [JsonStringEnumMemberName("delivered")] Delivered,
}

/// <summary>Lifecycle stage of a customer.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LifecycleStage>))]
public enum LifecycleStage
{
    [JsonStringEnumMemberName("onboarding")] Onboarding,
    [JsonStringEnumMemberName("adoption")] Adoption,
    [JsonStringEnumMemberName("mature")] Mature,
    [JsonStringEnumMemberName("renewal")] Renewal,
    [JsonStringEnumMemberName("churned")] Churned,
}

/// <summary>Customer tier (segment).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CustomerTier>))]
public enum CustomerTier
{
    [JsonStringEnumMemberName("standard")] Standard,
    [JsonStringEnumMemberName("high_potential")] HighPotential,
    [JsonStringEnumMemberName("key_account")] KeyAccount,
}

/// <summary>Health band from the configured thresholds.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HealthBand>))]
public enum HealthBand
{
    [JsonStringEnumMemberName("red")] Red,
    [JsonStringEnumMemberName("yellow")] Yellow,
    [JsonStringEnumMemberName("green")] Green,
}

/// <summary>Outcome × experience quadrant: Q1 loyal, Q2 satisfied but unsuccessful, Q3 grudging, Q4 failing.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Quadrant>))]
public enum Quadrant
{
    Q1,
    Q2,
    Q3,
    Q4,
}

/// <summary>Direction of the health score over the trailing 30 days.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HealthTrend>))]
public enum HealthTrend
{
    [JsonStringEnumMemberName("stable")] Stable,
    [JsonStringEnumMemberName("improving")] Improving,
    [JsonStringEnumMemberName("declining")] Declining,
}

/// <summary>Renewal risk level.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RiskLevel>))]
public enum RiskLevel
{
    [JsonStringEnumMemberName("low")] Low,
    [JsonStringEnumMemberName("medium")] Medium,
    [JsonStringEnumMemberName("high")] High,
    [JsonStringEnumMemberName("critical")] Critical,
}

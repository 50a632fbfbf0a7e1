using System.Text.Json.Serialization;
using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.HealthScore.Domain;

/// <summary>Something that happened at an instant, identified by the event that reported it.</summary>
public abstract class DatedFact
{
    /// <summary>Id of the contract event this fact came from (ties at the same instant are ordered by it).</summary>
    public string EventId { get; set; } = "";

    /// <summary>When it happened at the source (the event's <c>OccurredAt</c>).</summary>
    public DateTimeOffset At { get; set; }
}

/// <summary>Usage on one UTC day: who was active, in which roles, and how much of each feature was used.</summary>
/// <remarks>Stored in the compact form of <see cref="UsageDayJsonConverter"/>, read into the ordinal dictionaries directly.</remarks>
[JsonConverter(typeof(UsageDayJsonConverter))]
public sealed class UsageDay
{
    public DateOnly Date { get; set; }

    private SortedDictionary<string, UserActivity> _users = new(StringComparer.Ordinal);
    private SortedDictionary<string, long> _featureQuantities = new(StringComparer.Ordinal);

    /// <summary>Active users by id, each with the roles and features seen that day (capped, see <see cref="CustomerFacts.MaxUsersPerDay"/>).</summary>
    public SortedDictionary<string, UserActivity> Users
    {
        get => _users;
        set => _users = Ordinal(value);
    }

    /// <summary>Total quantity per feature, including usage without a user id (API calls).</summary>
    public SortedDictionary<string, long> FeatureQuantities
    {
        get => _featureQuantities;
        set => _featureQuantities = Ordinal(value);
    }

    /// <summary>Roles seen that day, with or without a user id.</summary>
    public List<UserRole> Roles { get; set; } = [];

    /// <summary>
    /// Set once a <see cref="CustomerFacts.Copy"/> shares this bucket: from then on it is never changed, and a rollup
    /// that records into it records into its own <see cref="Copy"/> instead. Not stored.
    /// </summary>
    internal bool IsShared { get; private set; }

    /// <summary>This bucket, marked shared (see <see cref="IsShared"/>).</summary>
    internal UsageDay Share()
    {
        IsShared = true;
        return this;
    }

    /// <summary>A deep copy, not shared (see <see cref="CustomerFacts.Copy"/>).</summary>
    public UsageDay Copy()
    {
        var users = new SortedDictionary<string, UserActivity>(StringComparer.Ordinal);
        foreach (var (userId, activity) in _users)
        {
            users.Add(userId, new UserActivity { Roles = [.. activity.Roles], Features = [.. activity.Features] });
        }

        return new UsageDay
        {
            Date = Date,
            Users = users,
            FeatureQuantities = new SortedDictionary<string, long>(_featureQuantities, StringComparer.Ordinal),
            Roles = [.. Roles],
        };
    }

    // A deserialiser may hand over a dictionary with the culture-sensitive default comparer; ids sort ordinally.
    private static SortedDictionary<string, T> Ordinal<T>(SortedDictionary<string, T> value) =>
        ReferenceEquals(value.Comparer, StringComparer.Ordinal) ? value : new SortedDictionary<string, T>(value, StringComparer.Ordinal);
}

/// <summary>One user's activity on one day.</summary>
public sealed class UserActivity
{
    public List<UserRole> Roles { get; set; } = [];
    public List<string> Features { get; set; } = [];
}

/// <summary>A support ticket's timeline, assembled from its events in whatever order they arrived.</summary>
public sealed class TicketRecord
{
    public string TicketId { get; set; } = "";

    /// <summary>Null until the <c>ticket.opened</c> event is known; such a ticket is not scored.</summary>
    public DateTimeOffset? OpenedAt { get; set; }

    /// <summary>The event that set <see cref="OpenedAt"/>, category and priority (the earliest opening wins).</summary>
    public string? OpenedEventId { get; set; }

    public TicketCategory? Category { get; set; }
    public TicketPriority? Priority { get; set; }

    /// <summary>The earliest response.</summary>
    public DateTimeOffset? FirstResponseAt { get; set; }

    /// <summary>Every resolution, oldest first.</summary>
    public List<DateTimeOffset> Resolutions { get; set; } = [];

    /// <summary>Every reopening, oldest first.</summary>
    public List<DateTimeOffset> Reopenings { get; set; } = [];

    /// <summary>Set once a <see cref="CustomerFacts.Copy"/> shares this timeline (see <see cref="UsageDay.IsShared"/>). Not stored.</summary>
    internal bool IsShared { get; private set; }

    /// <summary>This timeline, marked shared (see <see cref="IsShared"/>).</summary>
    internal TicketRecord Share()
    {
        IsShared = true;
        return this;
    }

    /// <summary>A deep copy, not shared (see <see cref="CustomerFacts.Copy"/>).</summary>
    public TicketRecord Copy() => new()
    {
        TicketId = TicketId,
        OpenedAt = OpenedAt,
        OpenedEventId = OpenedEventId,
        Category = Category,
        Priority = Priority,
        FirstResponseAt = FirstResponseAt,
        Resolutions = [.. Resolutions],
        Reopenings = [.. Reopenings],
    };

    /// <summary>The instant retention is judged by: the opening, or the earliest thing known about the ticket.</summary>
    internal DateTimeOffset Anchor()
    {
        if (OpenedAt is { } opened)
        {
            return opened;
        }

        var known = new List<DateTimeOffset>(Resolutions);
        known.AddRange(Reopenings);
        if (FirstResponseAt is { } responded)
        {
            known.Add(responded);
        }

        return known.Count > 0 ? known.Min() : DateTimeOffset.MinValue;
    }
}

/// <summary>One survey answer.</summary>
public sealed class SurveyResponse : DatedFact
{
    public SurveyKind Survey { get; set; }
    public int Score { get; set; }
    public string? UserId { get; set; }
}

/// <summary>A reported seat count.</summary>
public sealed class SeatObservation : DatedFact
{
    public int Paid { get; set; }
    public int Free { get; set; }
    public int Assigned { get; set; }
}

/// <summary>What kind of contract event a <see cref="ContractObservation"/> came from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ContractChange>))]
public enum ContractChange
{
    [JsonStringEnumMemberName("signed")] Signed,
    [JsonStringEnumMemberName("amended")] Amended,
    [JsonStringEnumMemberName("renewed")] Renewed,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
}

/// <summary>A signed, amended, renewed or cancelled contract.</summary>
public sealed class ContractObservation : DatedFact
{
    public string ContractId { get; set; } = "";
    public ContractChange Change { get; set; }
    public decimal? Arr { get; set; }
    public int? Seats { get; set; }
    public DateOnly? StartsOn { get; set; }
    public DateOnly? EndsOn { get; set; }
    public DateOnly? EffectiveOn { get; set; }
}

/// <summary>A stakeholder joining or leaving.</summary>
public sealed class StakeholderObservation : DatedFact
{
    public StakeholderRole Role { get; set; }
    public StakeholderChange Change { get; set; }

    /// <summary>Null when the source did not say who; such changes all concern one anonymous person per role.</summary>
    public string? PersonId { get; set; }
}

/// <summary>A referral to another company.</summary>
public sealed class ReferralEntry : DatedFact
{
    public string? ReferredCompany { get; set; }
}

/// <summary>Touch-point feedback for the activation index.</summary>
public sealed class FeedbackEntry : DatedFact
{
    public string Touchpoint { get; set; } = "";
    public int Sentiment { get; set; }
}

/// <summary>The profile's key-account flag as reported at an instant.</summary>
public sealed class KeyAccountObservation : DatedFact
{
    public bool KeyAccount { get; set; }
}

/// <summary>The tier Lifecycle gave the customer, in force from <see cref="DatedFact.At"/>.</summary>
public sealed class TierObservation : DatedFact
{
    public CustomerTier Tier { get; set; }
}

/// <summary>The lifecycle stage the customer entered at <see cref="DatedFact.At"/>.</summary>
public sealed class StageObservation : DatedFact
{
    public LifecycleStage Stage { get; set; }
}

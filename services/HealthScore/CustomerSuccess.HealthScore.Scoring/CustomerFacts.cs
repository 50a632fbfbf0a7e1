using System.Reflection;
using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.HealthScore.Domain;

/// <summary>
/// Everything health scoring needs to know about one customer, rolled up from its contract events and the tier and stage
/// Lifecycle gave it. The service keeps it as a Marten document, maintained by an explicit projection that calls the
/// <c>Record</c> methods; it is plain, mutable and JSON-serialisable.
/// </summary>
/// <remarks>
/// <para>Events arrive late and out of order. Each counts at its <c>OccurredAt</c>, and every list is kept in a
/// canonical order, so the document built from a set of events does not depend on the order they were applied in.</para>
/// <para>The document stays bounded: usage is kept as one bucket per UTC day (active users with their roles and
/// features, quantity per feature), capped at <see cref="MaxUsersPerDay"/> users and <see cref="MaxFeaturesPerDay"/>
/// features a day (beyond the cap the lexicographically first ids are kept, again independent of arrival order); facts
/// dated before the UTC day <see cref="RetentionDays"/> behind the newest fact are dropped. State that is only reported
/// now and then (seats, key-account flag, each stakeholder, each contract) keeps its newest observation from before that
/// day, so it is never forgotten while still true.</para>
/// <para>De-duplicating redelivered events by <c>EventId</c> is the consumer's job; facts that carry an event id
/// (all but usage and ticket timelines) also ignore an id they already hold.</para>
/// <para>A ticket opened more than <see cref="RetentionDays"/> before the newest fact is forgotten; a later event
/// about it starts a timeline without an opening, which scoring ignores.</para>
/// </remarks>
public sealed class CustomerFacts
{
    /// <summary>The customer id (the stream key).</summary>
    public string Id { get; set; } = "";

    /// <summary>Days of facts kept behind the newest one; set from <see cref="ScoringModel.RetentionDays"/>.</summary>
    public int RetentionDays { get; set; } = ScoringModel.DefaultRetentionDays;

    /// <summary>Distinct user ids kept per day.</summary>
    public int MaxUsersPerDay { get; set; } = 1000;

    /// <summary>Distinct features kept per day (and per user per day).</summary>
    public int MaxFeaturesPerDay { get; set; } = 100;

    /// <summary>The earliest <c>OccurredAt</c> ever applied.</summary>
    public DateTimeOffset? FirstOccurredAt { get; set; }

    /// <summary>The newest <c>OccurredAt</c> ever applied; retention is measured back from it.</summary>
    public DateTimeOffset? LatestOccurredAt { get; set; }

    /// <summary>Usage per UTC day, oldest first.</summary>
    public List<UsageDay> UsageDays { get; set; } = [];

    /// <summary>Support tickets by id (ordinal order).</summary>
    public List<TicketRecord> Tickets { get; set; } = [];

    public List<SeatObservation> Seats { get; set; } = [];
    public List<ContractObservation> Contracts { get; set; } = [];
    public List<SurveyResponse> Surveys { get; set; } = [];
    public List<StakeholderObservation> Stakeholders { get; set; } = [];
    public List<ReferralEntry> Referrals { get; set; } = [];
    public List<FeedbackEntry> Feedback { get; set; } = [];
    public List<KeyAccountObservation> KeyAccountFlags { get; set; } = [];

    /// <summary>The tier Lifecycle gave the customer, each from the instant it took effect (oldest first).</summary>
    public List<TierObservation> Tiers { get; set; } = [];

    /// <summary>The lifecycle stages the customer entered, each from the instant it took effect (oldest first).</summary>
    public List<StageObservation> Stages { get; set; } = [];

    /// <summary>The tier scored with before Lifecycle says anything: the long tail is standard.</summary>
    public const CustomerTier DefaultTier = CustomerTier.Standard;

    /// <summary>
    /// The stage scored with before Lifecycle says anything: adoption, whose weights balance daily activity against
    /// breadth, weekly/monthly activity and output, so they neither favour nor punish a customer of unknown stage.
    /// </summary>
    public const LifecycleStage DefaultStage = LifecycleStage.Adoption;

    /// <summary>
    /// A copy to record into and evaluate. The service needs one: Marten's <c>FetchForWriting</c> hands the same
    /// instance to the inline projection, which applies the appended events to it again on commit, so recording into the
    /// fetched document would count usage twice.
    /// </summary>
    /// <remarks>
    /// Copied member by member (a JSON round trip cost as much as the rest of an evaluation). The facts records are never
    /// changed once recorded, so they are shared; every list is new. Usage days and tickets are shared copy-on-write: both
    /// rollups mark them shared, and whichever records into a shared one first replaces it in its own list with a private
    /// copy, so a page copies the few days it touches, not the whole retained history.
    /// </remarks>
    public CustomerFacts Copy() => new()
    {
        Id = Id,
        RetentionDays = RetentionDays,
        MaxUsersPerDay = MaxUsersPerDay,
        MaxFeaturesPerDay = MaxFeaturesPerDay,
        FirstOccurredAt = FirstOccurredAt,
        LatestOccurredAt = LatestOccurredAt,
        UsageDays = UsageDays.ConvertAll(d => d.Share()),
        Tickets = Tickets.ConvertAll(t => t.Share()),
        Seats = [.. Seats],
        Contracts = [.. Contracts],
        Surveys = [.. Surveys],
        Stakeholders = [.. Stakeholders],
        Referrals = [.. Referrals],
        Feedback = [.. Feedback],
        KeyAccountFlags = [.. KeyAccountFlags],
        Tiers = [.. Tiers],
        Stages = [.. Stages],
    };

    /// <summary>Facts dated before this instant (a UTC midnight) are dropped; null until a fact arrives.</summary>
    public DateTimeOffset? RetainedFrom() =>
        LatestOccurredAt is { } latest
            ? new DateTimeOffset(DateOnly.FromDateTime(latest.UtcDateTime).AddDays(-RetentionDays), TimeOnly.MinValue, TimeSpan.Zero)
            : null;

    /// <summary>
    /// The contract event types the rollup uses: exactly those with a <c>Record</c> overload below. Everything else is
    /// not HealthScore's business (its consumer does not keep it).
    /// </summary>
    public static readonly IReadOnlySet<Type> FactTypes = CustomerEventTypes.HandledBy(typeof(CustomerFacts), nameof(Record));

    private static readonly Dictionary<Type, Action<CustomerFacts, CustomerEvent>> _recorders =
        FactTypes.ToDictionary(type => type, type => (Action<CustomerFacts, CustomerEvent>)typeof(CustomerFacts)
            .GetMethod(nameof(RecorderOf), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type)
            .Invoke(null, null)!);

    /// <summary>Whether the rollup uses this event (its type is one of <see cref="FactTypes"/>).</summary>
    public static bool IsFact(CustomerEvent customerEvent)
    {
        ArgumentNullException.ThrowIfNull(customerEvent);
        return FactTypes.Contains(customerEvent.GetType());
    }

    /// <summary>
    /// Adds one fact to the rollup, whatever its type; events the rollup does not use are ignored.
    /// (Named Record, not Apply: Marten would otherwise take these for conventional projection methods.)
    /// </summary>
    public void Record(CustomerEvent fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        if (_recorders.TryGetValue(fact.GetType(), out var record))
        {
            record(this, fact);
        }
    }

    private static Action<CustomerFacts, CustomerEvent> RecorderOf<T>() where T : CustomerEvent
    {
        var record = typeof(CustomerFacts).GetMethod(nameof(Record), [typeof(T)])!.CreateDelegate<Action<CustomerFacts, T>>();
        return (facts, fact) => record(facts, (T)fact);
    }

    /// <summary>
    /// Records the tier Lifecycle assigned, effective from <paramref name="at"/>. Tiers are not facts about use: they
    /// move neither <see cref="FirstOccurredAt"/> nor the retention, and the one in force is never pruned.
    /// </summary>
    public void RecordTier(string eventId, CustomerTier tier, DateTimeOffset at) =>
        InsertState(Tiers, new TierObservation { EventId = eventId, At = at, Tier = tier }, _ => "");

    /// <summary>Records the lifecycle stage the customer entered at <paramref name="at"/> (like <see cref="RecordTier"/>).</summary>
    public void RecordStage(string eventId, LifecycleStage stage, DateTimeOffset at) =>
        InsertState(Stages, new StageObservation { EventId = eventId, At = at, Stage = stage }, _ => "");

    /// <summary>
    /// The tier in force at <paramref name="asOf"/>. Lifecycle owns the tier: once a tier it assigned
    /// (<c>CustomerTierChanged</c>) is in force, that is the tier, whatever the profile says. Until then the profile's
    /// <c>keyAccount</c> flag serves as the initial value (key account when flagged), else <see cref="DefaultTier"/>.
    /// </summary>
    public CustomerTier TierAt(DateTimeOffset asOf) =>
        Tiers.LastOrDefault(t => t.At <= asOf)?.Tier
        ?? (KeyAccountFlags.LastOrDefault(f => f.At <= asOf)?.KeyAccount == true ? CustomerTier.KeyAccount : DefaultTier);

    /// <summary>The stage in force at <paramref name="asOf"/>; <see cref="DefaultStage"/> before Lifecycle said anything.</summary>
    public LifecycleStage StageAt(DateTimeOffset asOf) => Stages.LastOrDefault(t => t.At <= asOf)?.Stage ?? DefaultStage;

    /// <summary>Keeps <paramref name="days"/> days of facts from now on (the scoring model's retention); a shorter retention prunes at once.</summary>
    public void ChangeRetention(int days)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        RetentionDays = days;
        Prune();
    }

    public void Record(CustomerProfiled e)
    {
        Admit(e);
        if (e.KeyAccount is { } keyAccount)
        {
            InsertState(KeyAccountFlags, new KeyAccountObservation { EventId = e.EventId, At = e.OccurredAt, KeyAccount = keyAccount }, _ => "");
        }
    }

    public void Record(UsageRecorded e)
    {
        Admit(e);
        var date = DateOnly.FromDateTime(e.OccurredAt.UtcDateTime);
        if (IsExpired(date))
        {
            return;
        }

        var day = DayFor(date);
        var featureKept = MakeRoomFor(day.FeatureQuantities, e.Feature, MaxFeaturesPerDay);
        if (featureKept)
        {
            day.FeatureQuantities[e.Feature] = day.FeatureQuantities.GetValueOrDefault(e.Feature) + Math.Max(1, e.Quantity);
        }

        if (e.Role is { } role)
        {
            AddSorted(day.Roles, role);
        }

        if (!string.IsNullOrEmpty(e.UserId) && MakeRoomFor(day.Users, e.UserId, MaxUsersPerDay))
        {
            if (!day.Users.TryGetValue(e.UserId, out var user))
            {
                user = new UserActivity();
                day.Users[e.UserId] = user;
            }

            if (e.Role is { } userRole)
            {
                AddSorted(user.Roles, userRole);
            }

            if (featureKept)
            {
                AddSorted(user.Features, e.Feature);
            }
        }
    }

    public void Record(SeatsReported e)
    {
        Admit(e);
        InsertState(Seats, new SeatObservation { EventId = e.EventId, At = e.OccurredAt, Paid = e.Paid, Free = e.Free, Assigned = e.Assigned }, _ => "");
    }

    public void Record(TicketOpened e)
    {
        Admit(e);
        var ticket = TicketFor(e.TicketId);
        if (ticket.OpenedAt is null || IsEarlier(e.OccurredAt, e.EventId, ticket.OpenedAt.Value, ticket.OpenedEventId ?? ""))
        {
            ticket.OpenedAt = e.OccurredAt;
            ticket.OpenedEventId = e.EventId;
            ticket.Category = e.Category;
            ticket.Priority = e.Priority;
        }

        ForgetIfExpired(ticket);
    }

    public void Record(TicketResponded e)
    {
        Admit(e);
        var ticket = TicketFor(e.TicketId);
        if (ticket.FirstResponseAt is null || e.OccurredAt < ticket.FirstResponseAt)
        {
            ticket.FirstResponseAt = e.OccurredAt;
        }

        ForgetIfExpired(ticket);
    }

    public void Record(TicketResolved e)
    {
        Admit(e);
        var ticket = TicketFor(e.TicketId);
        AddSorted(ticket.Resolutions, e.OccurredAt);
        ForgetIfExpired(ticket);
    }

    public void Record(TicketReopened e)
    {
        Admit(e);
        var ticket = TicketFor(e.TicketId);
        AddSorted(ticket.Reopenings, e.OccurredAt);
        ForgetIfExpired(ticket);
    }

    public void Record(SurveyAnswered e)
    {
        Admit(e);
        InsertDated(Surveys, new SurveyResponse { EventId = e.EventId, At = e.OccurredAt, Survey = e.Survey, Score = e.Score, UserId = e.UserId });
    }

    public void Record(ContractSigned e)
    {
        Admit(e);
        InsertContract(new ContractObservation
        {
            EventId = e.EventId, At = e.OccurredAt, ContractId = e.ContractId, Change = ContractChange.Signed,
            Arr = e.Arr, Seats = e.Seats, StartsOn = e.StartsOn, EndsOn = e.EndsOn,
        });
    }

    public void Record(ContractAmended e)
    {
        Admit(e);
        InsertContract(new ContractObservation
        {
            EventId = e.EventId, At = e.OccurredAt, ContractId = e.ContractId, Change = ContractChange.Amended,
            Arr = e.Arr, Seats = e.Seats, EffectiveOn = e.EffectiveOn,
        });
    }

    public void Record(ContractRenewed e)
    {
        Admit(e);
        InsertContract(new ContractObservation
        {
            EventId = e.EventId, At = e.OccurredAt, ContractId = e.ContractId, Change = ContractChange.Renewed,
            Arr = e.Arr, Seats = e.Seats, EndsOn = e.EndsOn,
        });
    }

    public void Record(ContractCancelled e)
    {
        Admit(e);
        InsertContract(new ContractObservation
        {
            EventId = e.EventId, At = e.OccurredAt, ContractId = e.ContractId, Change = ContractChange.Cancelled, EffectiveOn = e.EffectiveOn,
        });
    }

    public void Record(StakeholderChanged e)
    {
        Admit(e);
        InsertState(
            Stakeholders,
            new StakeholderObservation { EventId = e.EventId, At = e.OccurredAt, Role = e.Role, Change = e.Change, PersonId = e.PersonId },
            StakeholderKey);
    }

    public void Record(ReferralMade e)
    {
        Admit(e);
        InsertDated(Referrals, new ReferralEntry { EventId = e.EventId, At = e.OccurredAt, ReferredCompany = e.ReferredCompany });
    }

    public void Record(FeedbackRecorded e)
    {
        Admit(e);
        InsertDated(Feedback, new FeedbackEntry { EventId = e.EventId, At = e.OccurredAt, Touchpoint = e.Touchpoint, Sentiment = e.Sentiment });
    }

    /// <summary>Drops every fact dated before <see cref="RetainedFrom"/> (done automatically as newer facts arrive).</summary>
    public void Prune()
    {
        if (RetainedFrom() is not { } from)
        {
            return;
        }

        var fromDate = DateOnly.FromDateTime(from.UtcDateTime);
        UsageDays.RemoveAll(d => d.Date < fromDate);
        Tickets.RemoveAll(t => t.Anchor() < from);
        Surveys.RemoveAll(s => s.At < from);
        Referrals.RemoveAll(r => r.At < from);
        Feedback.RemoveAll(f => f.At < from);
        PruneState(Seats, _ => "", from);
        PruneState(KeyAccountFlags, _ => "", from);
        PruneState(Stakeholders, StakeholderKey, from);
        PruneState(Contracts, ContractKey, from);
        PruneState(Tiers, _ => "", from);
        PruneState(Stages, _ => "", from);
    }

    internal static string StakeholderKey(StakeholderObservation s) => $"{s.Role}/{s.PersonId}";

    private static string ContractKey(ContractObservation c) => $"{c.ContractId}/{c.Change}";

    private void Admit(CustomerEvent e)
    {
        if (Id.Length == 0)
        {
            Id = e.CustomerId;
        }

        if (FirstOccurredAt is null || e.OccurredAt < FirstOccurredAt)
        {
            FirstOccurredAt = e.OccurredAt;
        }

        if (LatestOccurredAt is null || e.OccurredAt > LatestOccurredAt)
        {
            var before = RetainedFrom();
            LatestOccurredAt = e.OccurredAt;
            if (RetainedFrom() != before)
            {
                Prune();
            }
        }
    }

    private bool IsExpired(DateTimeOffset at) => RetainedFrom() is { } from && at < from;

    private bool IsExpired(DateOnly date) => RetainedFrom() is { } from && date < DateOnly.FromDateTime(from.UtcDateTime);

    /// <summary>The day's usage bucket to record into: this rollup's own, never one it shares with a copy.</summary>
    private UsageDay DayFor(DateOnly date)
    {
        var index = FindOrInsert(UsageDays, date, d => d.Date, Comparer<DateOnly>.Default, () => new UsageDay { Date = date });
        return UsageDays[index].IsShared ? UsageDays[index] = UsageDays[index].Copy() : UsageDays[index];
    }

    /// <summary>The ticket's timeline to record into: this rollup's own, never one it shares with a copy.</summary>
    private TicketRecord TicketFor(string ticketId)
    {
        var index = FindOrInsert(Tickets, ticketId, t => t.TicketId, StringComparer.Ordinal, () => new TicketRecord { TicketId = ticketId });
        return Tickets[index].IsShared ? Tickets[index] = Tickets[index].Copy() : Tickets[index];
    }

    /// <summary>The index of the item with <paramref name="key"/> in a list kept sorted by key, inserted in its place when absent.</summary>
    private static int FindOrInsert<T, TKey>(List<T> sorted, TKey key, Func<T, TKey> keyOf, IComparer<TKey> comparer, Func<T> create)
    {
        int low = 0, high = sorted.Count - 1;
        while (low <= high)
        {
            var mid = (low + high) / 2;
            var compared = comparer.Compare(keyOf(sorted[mid]), key);
            if (compared == 0)
            {
                return mid;
            }

            if (compared < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        sorted.Insert(low, create());
        return low;
    }

    private void ForgetIfExpired(TicketRecord ticket)
    {
        if (IsExpired(ticket.Anchor()))
        {
            Tickets.Remove(ticket);
        }
    }

    private void InsertContract(ContractObservation contract) => InsertState(Contracts, contract, ContractKey);

    private void InsertDated<T>(List<T> list, T fact) where T : DatedFact
    {
        if (!IsExpired(fact.At))
        {
            InsertOrdered(list, fact);
        }
    }

    private void InsertState<T>(List<T> list, T fact, Func<T, string> key) where T : DatedFact
    {
        if (InsertOrdered(list, fact) && IsExpired(fact.At) && RetainedFrom() is { } from)
        {
            PruneState(list, key, from);
        }
    }

    /// <summary>Inserts in (At, EventId) order; false when that event is already there.</summary>
    private static bool InsertOrdered<T>(List<T> list, T fact) where T : DatedFact
    {
        int low = 0, high = list.Count - 1;
        while (low <= high)
        {
            var mid = (low + high) / 2;
            var compared = Compare(list[mid], fact);
            if (compared == 0)
            {
                return false;
            }

            if (compared < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        list.Insert(low, fact);
        return true;
    }

    private static int Compare(DatedFact a, DatedFact b)
    {
        var byTime = a.At.CompareTo(b.At);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.EventId, b.EventId);
    }

    private static bool IsEarlier(DateTimeOffset at, string eventId, DateTimeOffset otherAt, string otherEventId) =>
        at < otherAt || (at == otherAt && string.CompareOrdinal(eventId, otherEventId) < 0);

    /// <summary>Keeps facts from <paramref name="from"/> on, plus the newest older one per key: the state still in force.</summary>
    private static void PruneState<T>(List<T> list, Func<T, string> key, DateTimeOffset from) where T : DatedFact
    {
        var newestOld = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var fact in list.Where(f => f.At < from))
        {
            newestOld[key(fact)] = fact; // the list is ordered, so the last one wins
        }

        list.RemoveAll(f => f.At < from && !ReferenceEquals(newestOld[key(f)], f));
    }

    /// <summary>Whether a capped set may hold <paramref name="key"/>: it keeps the lexicographically first <paramref name="cap"/> keys.</summary>
    private static bool MakeRoomFor<T>(SortedDictionary<string, T> set, string key, int cap)
    {
        if (set.ContainsKey(key) || set.Count < cap)
        {
            return true;
        }

        var last = set.Keys.Max(StringComparer.Ordinal)!;
        if (string.CompareOrdinal(key, last) >= 0)
        {
            return false;
        }

        set.Remove(last);
        return true;
    }

    private void AddSorted(List<string> list, string item)
    {
        var index = list.BinarySearch(item, StringComparer.Ordinal);
        if (index >= 0)
        {
            return;
        }

        index = ~index;
        if (list.Count >= MaxFeaturesPerDay)
        {
            if (index >= list.Count)
            {
                return;
            }

            list.RemoveAt(list.Count - 1);
        }

        list.Insert(index, item);
    }

    private static void AddSorted<T>(List<T> list, T item)
    {
        var index = list.BinarySearch(item);
        if (index < 0)
        {
            list.Insert(~index, item);
        }
    }
}

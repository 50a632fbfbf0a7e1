using CustomerSuccess.Contracts;
using CustomerSuccess.Contracts.Events;
using static System.FormattableString;

namespace CustomerSuccess.HealthScore.Domain;

/// <summary>A measure's raw value (null: no data) and the sentence a CSM reads about it.</summary>
internal readonly record struct MeasureReading(double? Raw, string Reason)
{
    public static MeasureReading NoData(string why) => new(null, why + "; weight redistributed");

    public static MeasureReading NoDataIn(int days) => NoData(Invariant($"no data in the last {days} days"));
}

/// <summary>Computes each measure's raw value from the facts as of an instant.</summary>
internal static class MeasureReadings
{
    private static readonly StakeholderRole[] s_keyStakeholders =
        [StakeholderRole.Champion, StakeholderRole.DecisionMaker, StakeholderRole.ExecutiveSponsor];

    public static MeasureReading Read(MeasureDefinition measure, FactsAsOf facts)
    {
        var days = measure.WindowDays;
        return measure.Name switch
        {
            MeasureNames.CoreFeatureUsage => CoreFeatureUsage(facts, days),
            MeasureNames.FeatureBreadth => FeatureBreadth(facts, days),
            MeasureNames.DailyActiveUsers => DailyActiveUsers(facts, days),
            MeasureNames.WeeklyActiveUsers or MeasureNames.MonthlyActiveUsers => ActiveUsers(facts, days),
            MeasureNames.SeatActivation => SeatActivation(facts, days),
            MeasureNames.RoleCoverage => RoleCoverage(facts, days),
            MeasureNames.OutputIndex => OutputIndex(facts, days),
            MeasureNames.FirstResponseTime => ServiceLevelAttainment(facts, days, firstResponse: true),
            MeasureNames.ResolutionTime => ServiceLevelAttainment(facts, days, firstResponse: false),
            MeasureNames.ReopenRate => ReopenRate(facts, days),
            MeasureNames.IncidentLoad => IncidentLoad(facts, days),
            MeasureNames.Nps => Nps(facts, days),
            MeasureNames.Csat => Average(facts, SurveyKind.Csat, days, "CSAT"),
            MeasureNames.Ces => Average(facts, SurveyKind.Ces, days, "CES"),
            MeasureNames.StakeholderPresence => StakeholderPresence(facts),
            MeasureNames.StakeholderLoss => StakeholderLoss(facts, days),
            MeasureNames.Advocacy => Advocacy(facts, days),
            MeasureNames.ActivationFriction => ActivationFriction(facts, days),
            _ => throw new InvalidOperationException($"Measure {measure.Name} is unknown."),
        };
    }

    private static MeasureReading SeatsUnknown => MeasureReading.NoData("paid seats unknown");

    private static MeasureReading CoreFeatureUsage(FactsAsOf facts, int days)
    {
        if (facts.Seats() is not { } seats)
        {
            return SeatsUnknown;
        }

        var core = facts.Model.CoreFeatures.ToHashSet(StringComparer.Ordinal);
        var users = facts.UsageDays(days)
            .SelectMany(d => d.Users.Where(u => u.Value.Features.Any(core.Contains)).Select(u => u.Key))
            .Distinct(StringComparer.Ordinal)
            .Count();
        return new(Ratio(users, seats.Paid), Invariant(
            $"{users} of {seats.Paid} paid seats used a core feature ({string.Join(", ", core)}) in the last {days} days"));
    }

    private static MeasureReading FeatureBreadth(FactsAsOf facts, int days)
    {
        var features = facts.UsageDays(days).SelectMany(d => d.FeatureQuantities.Keys).Distinct(StringComparer.Ordinal).Count();
        if (features == 0 && facts.Seats() is null)
        {
            return MeasureReading.NoDataIn(days);
        }

        return new(features, Invariant($"{Of(features, "distinct feature")} used in the last {days} days"));
    }

    private static MeasureReading DailyActiveUsers(FactsAsOf facts, int days)
    {
        if (facts.Seats() is not { } seats)
        {
            return SeatsUnknown;
        }

        var activeByDay = facts.UsageDays(days).ToDictionary(d => d.Date, d => d.Users.Count);
        var workingDays = facts.WorkingDays(days).ToList();
        var average = workingDays.Count == 0 ? 0 : workingDays.Average(d => activeByDay.GetValueOrDefault(d));
        return new(average / seats.Paid, Invariant(
            $"on average {average:0.#} of {seats.Paid} paid seats active per working day over the last {days} days"));
    }

    private static MeasureReading ActiveUsers(FactsAsOf facts, int days)
    {
        if (facts.Seats() is not { } seats)
        {
            return SeatsUnknown;
        }

        var users = facts.ActiveUsers(days).Count;
        return new(Ratio(users, seats.Paid), Invariant($"{users} of {seats.Paid} paid seats active in the last {days} days"));
    }

    private static MeasureReading SeatActivation(FactsAsOf facts, int days)
    {
        if (facts.Seats() is not { } seats)
        {
            return SeatsUnknown;
        }

        var users = facts.ActiveUsers(days).Count;
        return new(Ratio(users, seats.Assigned), Invariant($"{users} of {seats.Assigned} assigned seats active in the last {days} days"));
    }

    private static MeasureReading RoleCoverage(FactsAsOf facts, int days)
    {
        var seen = facts.UsageDays(days).SelectMany(d => d.Roles).ToHashSet();
        if (seen.Count == 0 && facts.ActiveUsers(days).Count == 0 && facts.Seats() is null)
        {
            return MeasureReading.NoDataIn(days);
        }

        var keyRoles = facts.Model.KeyRoles.Distinct().ToList();
        var covered = keyRoles.Where(seen.Contains).ToList();
        var missing = keyRoles.Where(r => !seen.Contains(r)).ToList();
        var reason = covered.Count == 0
            ? Invariant($"none of the key roles ({Names(keyRoles)}) active in the last {days} days")
            : Invariant($"{Names(covered)} active in the last {days} days") + (missing.Count > 0 ? $"; missing {Names(missing)}" : "");
        return new(Ratio(covered.Count, keyRoles.Count), reason);
    }

    private static MeasureReading OutputIndex(FactsAsOf facts, int days)
    {
        if (facts.Seats() is not { } seats)
        {
            return SeatsUnknown;
        }

        var quantity = facts.UsageDays(days).Sum(d => d.FeatureQuantities.Values.Sum());
        var perSeat = (double)quantity / seats.Paid;
        return new(perSeat, Invariant($"{quantity} units of use in the last {days} days, {perSeat:0.#} per paid seat"));
    }

    private static MeasureReading ServiceLevelAttainment(FactsAsOf facts, int days, bool firstResponse)
    {
        double met = 0, due = 0;
        int metCount = 0, dueCount = 0;
        (TicketRecord Ticket, double Hours, double Target)? worst = null;
        foreach (var ticket in facts.TicketsOpened(days))
        {
            var level = facts.Model.ServiceLevelFor(ticket.Category!.Value);
            var target = firstResponse ? level.FirstResponseHours : level.ResolutionHours;
            var doneAt = firstResponse
                ? ticket.FirstResponseAt is { } responded && responded <= facts.AsOf ? responded : (DateTimeOffset?)null
                : ticket.Resolutions.Where(r => r <= facts.AsOf).Cast<DateTimeOffset?>().FirstOrDefault();
            var hours = ((doneAt ?? facts.AsOf) - ticket.OpenedAt!.Value).TotalHours;
            if (doneAt is null && hours <= target)
            {
                continue; // still within its SLA: not yet judged
            }

            dueCount++;
            due += level.UrgencyWeight;
            if (hours <= target)
            {
                metCount++;
                met += level.UrgencyWeight;
            }
            else if (worst is null || hours / target > worst.Value.Hours / worst.Value.Target)
            {
                worst = (ticket, hours, target);
            }
        }

        if (dueCount == 0)
        {
            return MeasureReading.NoDataIn(days);
        }

        var what = firstResponse ? "answered" : "resolved";
        var reason = Invariant($"{metCount} of {Of(dueCount, "ticket")} {what} within SLA in the last {days} days");
        if (worst is { } w)
        {
            var category = WireName.Of(w.Ticket.Category!.Value);
            var waited = firstResponse ? "waited" : "took";
            reason += Invariant($"; worst: {category} ticket {w.Ticket.TicketId} {waited} {w.Hours:0.#} h (target {w.Target:0.#} h)");
        }

        return new(due > 0 ? 100 * met / due : 100.0 * metCount / dueCount, reason);
    }

    private static MeasureReading ReopenRate(FactsAsOf facts, int days)
    {
        var resolved = facts.TicketsOpened(days).Where(t => t.Resolutions.Any(r => r <= facts.AsOf)).ToList();
        if (resolved.Count == 0)
        {
            return MeasureReading.NoDataIn(days);
        }

        var reopened = resolved.Count(t => t.Reopenings.Any(r => r <= facts.AsOf));
        return new(100.0 * reopened / resolved.Count, Invariant($"{reopened} of {Of(resolved.Count, "resolved ticket")} reopened in the last {days} days"));
    }

    private static MeasureReading IncidentLoad(FactsAsOf facts, int days)
    {
        var tickets = facts.TicketsOpened(days);
        if (tickets.Count == 0)
        {
            return MeasureReading.NoDataIn(days);
        }

        var incidents = tickets.Where(t => t.Category == TicketCategory.Incident).ToList();
        var urgent = incidents.Count(t => t.Priority == TicketPriority.Urgent);
        return new(incidents.Count, Invariant($"{Of(incidents.Count, "incident ticket")} ({urgent} urgent) among {Of(tickets.Count, "ticket")} in the last {days} days"));
    }

    private static MeasureReading Nps(FactsAsOf facts, int days)
    {
        // One voice per person: the latest answer of each known user, every anonymous answer.
        var answers = facts.Answers(SurveyKind.Nps, days);
        var scores = answers.Where(a => string.IsNullOrEmpty(a.UserId)).Select(a => a.Score)
            .Concat(answers.Where(a => !string.IsNullOrEmpty(a.UserId)).GroupBy(a => a.UserId, StringComparer.Ordinal).Select(g => g.Last().Score))
            .ToList();
        if (scores.Count == 0)
        {
            return MeasureReading.NoDataIn(days);
        }

        var promoters = scores.Count(s => s >= 9);
        var detractors = scores.Count(s => s <= 6);
        var nps = 100.0 * (promoters - detractors) / scores.Count;
        return new(nps, Invariant(
            $"NPS {nps:0} from {Of(scores.Count, "answer")} in the last {days} days ({Of(promoters, "promoter")}, {Of(detractors, "detractor")})"));
    }

    private static MeasureReading Average(FactsAsOf facts, SurveyKind survey, int days, string label)
    {
        var answers = facts.Answers(survey, days);
        if (answers.Count == 0)
        {
            return MeasureReading.NoDataIn(days);
        }

        var average = answers.Average(a => a.Score);
        return new(average, Invariant($"{label} {average:0.0} on average from {Of(answers.Count, "answer")} in the last {days} days"));
    }

    private static MeasureReading StakeholderPresence(FactsAsOf facts)
    {
        var known = facts.StakeholdersKnown();
        if (known.Count == 0)
        {
            return MeasureReading.NoData("no stakeholders recorded");
        }

        var present = known.GroupBy(CustomerFacts.StakeholderKey, StringComparer.Ordinal)
            .Select(g => g.Last())
            .Where(s => s.Change == StakeholderChange.Joined)
            .Select(s => s.Role)
            .ToHashSet();
        var inPlace = s_keyStakeholders.Where(present.Contains).ToList();
        var missing = s_keyStakeholders.Where(r => !present.Contains(r)).ToList();
        var reason = (inPlace.Count > 0 ? $"{Names(inPlace)} in place" : "no key stakeholder in place")
                     + (missing.Count > 0 ? $"; missing {Names(missing)}" : "");
        return new(Ratio(inPlace.Count, s_keyStakeholders.Length), reason);
    }

    private static MeasureReading StakeholderLoss(FactsAsOf facts, int days)
    {
        if (facts.StakeholdersKnown().Count == 0)
        {
            return MeasureReading.NoData("no stakeholders recorded");
        }

        var left = facts.StakeholdersKnown()
            .Where(s => s.Change == StakeholderChange.Left && s_keyStakeholders.Contains(s.Role) && facts.InWindow(s.At, days))
            .ToList();
        var reason = left.Count == 0
            ? Invariant($"no key stakeholder left in the last {days} days")
            : Invariant($"{Names(left.Select(s => s.Role).Distinct())} left in the last {days} days ({Of(left.Count, "departure")})");
        return new(left.Count, reason);
    }

    private static MeasureReading Advocacy(FactsAsOf facts, int days)
    {
        var expansions = Expansions(facts).Count(c => facts.InWindow(c.At, days));
        var referrals = facts.Facts.Referrals.Count(r => facts.InWindow(r.At, days));
        if (expansions + referrals == 0)
        {
            // Advocacy only ever adds: its absence is no evidence against the customer.
            return MeasureReading.NoDataIn(days);
        }

        return new(expansions + referrals, Invariant($"{Of(expansions, "expansion")} and {Of(referrals, "referral")} in the last {days} days"));
    }

    /// <summary>Contract changes that grew the business: a higher ARR on the same contract, or a further contract.</summary>
    private static IEnumerable<ContractObservation> Expansions(FactsAsOf facts)
    {
        var known = facts.Facts.Contracts.Where(c => c.At <= facts.AsOf).ToList();
        for (var i = 0; i < known.Count; i++)
        {
            var change = known[i];
            var earlier = known.Take(i).ToList();
            var previousArr = earlier.LastOrDefault(c => c.ContractId == change.ContractId && c.Arr is not null)?.Arr;
            var grew = change.Change is ContractChange.Amended or ContractChange.Renewed && change.Arr > previousArr;
            var crossSell = change.Change == ContractChange.Signed
                            && earlier.Where(c => c.ContractId != change.ContractId)
                                .GroupBy(c => c.ContractId, StringComparer.Ordinal)
                                .Any(other => other.Any(c => c.Change == ContractChange.Signed)
                                              && !other.Any(c => c.Change == ContractChange.Cancelled));
            if (grew || crossSell)
            {
                yield return change;
            }
        }
    }

    private static MeasureReading ActivationFriction(FactsAsOf facts, int days)
    {
        var feedback = facts.Facts.Feedback.Where(f => facts.InWindow(f.At, days)).ToList();
        if (feedback.Count == 0)
        {
            return MeasureReading.NoDataIn(days);
        }

        var index = Math.Clamp(feedback.Sum(f => f.Sentiment), -25, 25);
        var verdict = index > 0 ? "activated" : "not activated";
        return new(index, Invariant($"activation index {index:+0;-0;0} ({verdict}) from {Of(feedback.Count, "touch point")} in the last {days} days"));
    }

    private static string Of(int count, string noun) => Invariant($"{count} {noun}{(count == 1 ? "" : "s")}");

    private static double Ratio(int part, int whole) => whole > 0 ? (double)part / whole : 0;

    private static string Names(IEnumerable<UserRole> roles) => string.Join(", ", roles.Select(WireName.Of));

    private static string Names(IEnumerable<StakeholderRole> roles) =>
        string.Join(", ", roles.Select(r => r switch
        {
            StakeholderRole.DecisionMaker => "decision maker",
            StakeholderRole.ExecutiveSponsor => "executive sponsor",
            _ => r.ToString().ToLowerInvariant(),
        }));
}

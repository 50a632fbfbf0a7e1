using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.Renewal.Domain;

/// <summary>Stable codes of the risk reasons.</summary>
public static class RiskCodes
{
    public const string ContractCancelled = "contract_cancelled";
    public const string ContractLapsed = "contract_lapsed";
    public const string HealthRed = "health_red";
    public const string HealthYellow = "health_yellow";
    public const string SatisfiedButUnsuccessful = "satisfied_but_unsuccessful";
    public const string Failing = "failing";
    public const string HealthDeclining = "health_declining";
    public const string RenewalWindowOpen = "renewal_window_open";
    public const string RenewalImminent = "renewal_imminent";
    public const string RenewalDifficult = "renewal_difficult";
    public const string RenewalVeryDifficult = "renewal_very_difficult";
    public const string FinanceCycleMismatch = "finance_cycle_mismatch";
    public const string ChampionLeft = "champion_left";
    public const string DecisionMakerLeft = "decision_maker_left";
    public const string IncidentSlaBreached = "incident_sla_breached";
    public const string LowSeatActivation = "low_seat_activation";
    public const string UsageDrop = "usage_drop";
    public const string DeliveryOverdue = "delivery_overdue";
    public const string FirstValueOverdue = "first_value_overdue";
}

/// <summary>One reason with the level it calls for on its own.</summary>
public sealed record RiskFinding(RiskReason Reason, RiskLevel Severity);

/// <summary>
/// The risk level and its reasons, most severe first. <see cref="Since"/>: from when the reasons that hold now made the
/// level what it is (null for <c>low</c>, which needs no reason).
/// </summary>
public sealed record RiskResult(RiskLevel Level, IReadOnlyList<RiskFinding> Findings, DateTimeOffset? Since = null)
{
    public IReadOnlyList<RiskReason> Reasons => Findings.Select(f => f.Reason).ToList();
}

/// <summary>
/// Renewal risk as of an instant. Each reason calls for a level on its own (README lists them); the risk is the highest
/// of them, at least high when <see cref="RenewalSettings.EscalateAtReasons"/> reasons are medium or worse, and critical
/// when two are high. Every reason's "since" comes from the facts (a date or a reading's instant), never from the
/// evaluation instant, so re-assessing an unchanged customer gives the same reasons.
/// </summary>
public static class RenewalRisk
{
    public static RiskResult Assess(CustomerRenewal facts, RenewalSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(settings);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var outlook = RenewalOutlook.Of(facts, settings, today);
        var findings = new List<RiskFinding>();
        void Add(string code, RiskLevel severity, string text, DateTimeOffset since) => findings.Add(new RiskFinding(new RiskReason(code, text, since), severity));

        if (outlook is { Contract: { } contract, EndsOn: { } endsOn, DaysToRenewal: { } days })
        {
            var status = contract.StatusOn(today);
            if (contract.Cancellation is { } cancellation)
            {
                var announced = DateOnly.FromDateTime(cancellation.OccurredAt.UtcDateTime);
                Add(RiskCodes.ContractCancelled, RiskLevel.Critical,
                    Invariant($"contract {contract.ContractId} cancelled effective {cancellation.EffectiveOn:yyyy-MM-dd}{(cancellation.Reason is { } r ? $", reason: {r}" : "")}{(cancellation.Competitor is { } c ? $", competitor: {c}" : "")}"),
                    Day(announced < cancellation.EffectiveOn ? announced : cancellation.EffectiveOn));
            }
            else if (status == ContractStatus.Lapsed)
            {
                Add(RiskCodes.ContractLapsed, RiskLevel.Critical,
                    Invariant($"contract {contract.ContractId} ended on {endsOn:yyyy-MM-dd} without a renewal ({outlook.Arr:0.##} {outlook.Currency} ARR)"), Day(endsOn));
            }
            else
            {
                if (outlook.WindowOpen)
                {
                    Add(RiskCodes.RenewalWindowOpen, RiskLevel.Low,
                        Invariant($"renewal window of {contract.ContractId} open since {outlook.WindowOpensOn:yyyy-MM-dd}; the term ends on {endsOn:yyyy-MM-dd}"), Day(outlook.WindowOpensOn!.Value));
                }

                if (days <= settings.RenewalImminentDays)
                {
                    Add(RiskCodes.RenewalImminent, RiskLevel.Medium,
                        Invariant($"{contract.ContractId} ends on {endsOn:yyyy-MM-dd}, {settings.RenewalImminentDays} days or less away, and is not renewed"), Day(endsOn.AddDays(-settings.RenewalImminentDays)));
                }
            }
        }

        AddHealth(facts, settings, now, outlook, Add);
        AddDifficulty(outlook.Difficulty, Add);
        AddStakeholders(facts, settings, now, outlook, Add);
        AddDelivery(facts, Add);

        var ordered = findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Reason.Code, StringComparer.Ordinal).ToList();
        var level = LevelOf(ordered, settings);
        return new RiskResult(level, ordered, LevelSince(ordered, level, settings));
    }

    /// <summary>
    /// The earliest "since" by which the reasons holding now, each from its own since, already called for
    /// <paramref name="level"/>: a business date like theirs, not the instant of an evaluation.
    /// </summary>
    public static DateTimeOffset? LevelSince(IReadOnlyList<RiskFinding> findings, RiskLevel level, RenewalSettings settings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        if (level == RiskLevel.Low)
        {
            return null;
        }

        var held = new List<RiskFinding>();
        foreach (var finding in findings.OrderBy(f => f.Reason.Since))
        {
            held.Add(finding);
            if (LevelOf(held, settings) >= level)
            {
                return finding.Reason.Since;
            }
        }

        return null;
    }

    public static RiskLevel LevelOf(IReadOnlyList<RiskFinding> findings, RenewalSettings settings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(settings);
        var level = findings.Count == 0 ? RiskLevel.Low : findings.Max(f => f.Severity);
        if (findings.Count(f => f.Severity >= RiskLevel.High) >= 2)
        {
            return RiskLevel.Critical;
        }

        if (level < RiskLevel.High && findings.Count(f => f.Severity >= RiskLevel.Medium) >= settings.EscalateAtReasons)
        {
            return RiskLevel.High;
        }

        return level;
    }

    private static void AddHealth(CustomerRenewal facts, RenewalSettings settings, DateTimeOffset now, RenewalOutlook outlook, Action<string, RiskLevel, string, DateTimeOffset> add)
    {
        var history = facts.Health.Where(h => h.EvaluatedAt <= now).ToList();
        if (history.Count == 0)
        {
            return;
        }

        var latest = history[^1];
        DateTimeOffset Since(Func<HealthRecorded, bool> holds)
        {
            var since = latest.EvaluatedAt;
            for (var i = history.Count - 1; i >= 0 && holds(history[i]); i--)
            {
                since = history[i].EvaluatedAt;
            }

            return since;
        }

        if (latest.Band == HealthBand.Red)
        {
            add(RiskCodes.HealthRed, RiskLevel.High, Invariant($"health is red ({latest.Score:0.#})"), Since(h => h.Band == HealthBand.Red));
        }
        else if (latest.Band == HealthBand.Yellow)
        {
            add(RiskCodes.HealthYellow, RiskLevel.Medium, Invariant($"health is yellow ({latest.Score:0.#})"), Since(h => h.Band == HealthBand.Yellow));
        }

        if (latest.Quadrant == Quadrant.Q2)
        {
            add(RiskCodes.SatisfiedButUnsuccessful, outlook.WindowOpen ? RiskLevel.High : RiskLevel.Medium,
                outlook.WindowOpen
                    ? "satisfied but unsuccessful (Q2) inside the renewal window: likes the service, gets no results, will most likely not renew"
                    : "satisfied but unsuccessful (Q2): likes the service but gets no results",
                Since(h => h.Quadrant == Quadrant.Q2));
        }
        else if (latest.Quadrant == Quadrant.Q4)
        {
            add(RiskCodes.Failing, RiskLevel.High, "failing (Q4): little outcome and a poor experience", Since(h => h.Quadrant == Quadrant.Q4));
        }

        if (latest.Trend == HealthTrend.Declining)
        {
            add(RiskCodes.HealthDeclining, RiskLevel.Medium, Invariant($"health declining over the last 30 days (now {latest.Score:0.#})"), Since(h => h.Trend == HealthTrend.Declining));
        }

        if (latest.Readings is not { } readings)
        {
            return;
        }

        if (readings.SeatActivation is { } activation && activation < settings.SeatActivationBelow)
        {
            add(RiskCodes.LowSeatActivation, RiskLevel.Medium,
                Invariant($"only {activation:P0} of assigned seats active (below {settings.SeatActivationBelow:P0})"),
                Since(h => h.Readings?.SeatActivation < settings.SeatActivationBelow));
        }

        if (readings is { IncidentTickets: > 0 } && Math.Min(readings.FirstResponseSlaMet ?? 100, readings.ResolutionSlaMet ?? 100) is var met && met < settings.IncidentSlaMetBelow)
        {
            add(RiskCodes.IncidentSlaBreached, RiskLevel.Medium,
                Invariant($"{readings.IncidentTickets:0} incident tickets with SLAs breached: {readings.FirstResponseSlaMet:0}% first responses and {readings.ResolutionSlaMet:0}% resolutions on time (below {settings.IncidentSlaMetBelow:0}%)"),
                Since(h => h.Readings is { IncidentTickets: > 0 } r && Math.Min(r.FirstResponseSlaMet ?? 100, r.ResolutionSlaMet ?? 100) < settings.IncidentSlaMetBelow));
        }

        if (readings.MonthlyActiveUsers is { } usage)
        {
            var from = now.AddDays(-settings.UsageBaselineDays);
            var baseline = history.Where(h => h.EvaluatedAt >= from).Select(h => h.Readings?.MonthlyActiveUsers).Max();
            if (baseline is > 0 && 1 - (usage / baseline.Value) is var drop && drop >= settings.UsageDropShare)
            {
                var floor = baseline.Value * (1 - settings.UsageDropShare);
                add(RiskCodes.UsageDrop, drop >= settings.UsageDropSevereShare ? RiskLevel.High : RiskLevel.Medium,
                    Invariant($"monthly active users {usage:P0} of paid seats, {drop:P0} below the customer's own {settings.UsageBaselineDays}-day high of {baseline:P0}"),
                    Since(h => h.Readings?.MonthlyActiveUsers <= floor));
            }
        }
    }

    private static void AddDifficulty(DifficultyAssessment difficulty, Action<string, RiskLevel, string, DateTimeOffset> add)
    {
        string Evidence(string tag) => string.Join("; ", difficulty.Tags.Where(t => t.Tag == tag).Select(t => t.Evidence));
        DateTimeOffset Since(string tag) => Day(difficulty.Tags.Where(t => t.Tag == tag).Min(t => t.Since));
        if (difficulty.Level == RenewalDifficulty.VeryDifficult)
        {
            add(RiskCodes.RenewalVeryDifficult, RiskLevel.High, "very difficult to renew: " + Evidence(DifficultyTags.VeryDifficult), Since(DifficultyTags.VeryDifficult));
        }
        else if (difficulty.Level == RenewalDifficulty.Difficult)
        {
            add(RiskCodes.RenewalDifficult, RiskLevel.Medium, "difficult to renew: " + Evidence(DifficultyTags.Difficult), Since(DifficultyTags.Difficult));
        }

        if (difficulty.Has(DifficultyTags.FinanceCycleMismatch))
        {
            add(RiskCodes.FinanceCycleMismatch, RiskLevel.Low, "finance-cycle mismatch, book the renewal early: " + Evidence(DifficultyTags.FinanceCycleMismatch), Since(DifficultyTags.FinanceCycleMismatch));
        }
    }

    private static void AddStakeholders(CustomerRenewal facts, RenewalSettings settings, DateTimeOffset now, RenewalOutlook outlook, Action<string, RiskLevel, string, DateTimeOffset> add)
    {
        foreach (var (role, code, name) in new[] { (StakeholderRole.Champion, RiskCodes.ChampionLeft, "champion"), (StakeholderRole.DecisionMaker, RiskCodes.DecisionMakerLeft, "decision maker") })
        {
            var latest = facts.Stakeholders.Where(s => s.Role == role && s.OccurredAt <= now).MaxBy(s => s.OccurredAt);
            if (latest is not { Change: StakeholderChange.Left } || latest.OccurredAt < now.AddDays(-settings.StakeholderLossDays))
            {
                continue;
            }

            var leftOn = DateOnly.FromDateTime(latest.OccurredAt.UtcDateTime);
            var nearRenewal = outlook is { DaysToRenewal: { } days, Contract.Cancellation: null } && days <= settings.StakeholderLossNearRenewalDays;
            add(code, nearRenewal ? RiskLevel.High : RiskLevel.Medium,
                Invariant($"the {name}{(latest.PersonId is { } person ? $" ({person})" : "")} left on {leftOn:yyyy-MM-dd} and nobody replaced them{(nearRenewal ? $", within {settings.StakeholderLossNearRenewalDays} days of the renewal on {outlook.EndsOn:yyyy-MM-dd}" : "")}"),
                latest.OccurredAt);
        }
    }

    private static void AddDelivery(CustomerRenewal facts, Action<string, RiskLevel, string, DateTimeOffset> add)
    {
        foreach (var overdue in facts.Overdue.Values.Where(o => o.Overdue).OrderBy(o => o.Milestone))
        {
            var (code, what) = overdue.Milestone == Milestone.FirstValue ? (RiskCodes.FirstValueOverdue, "first value") : (RiskCodes.DeliveryOverdue, "delivery");
            add(code, RiskLevel.Medium, Invariant($"{what} overdue: due on {overdue.DueOn:yyyy-MM-dd} and not reached"), Day(overdue.DueOn));
        }
    }

    private static DateTimeOffset Day(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}

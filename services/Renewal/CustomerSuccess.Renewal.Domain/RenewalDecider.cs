using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.Renewal.Domain;

/// <summary>
/// The decisions Renewal makes for a customer, as pure functions of its state, the settings and an instant: which renewal
/// windows have opened (once per contract and term end) and whether the risk changed. The service appends what this
/// returns; relays publish it. Called after new facts and by the daily run alike, so time alone opens windows.
/// </summary>
public static class RenewalDecider
{
    public static IReadOnlyList<object> Decide(CustomerRenewal state, RenewalSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(settings);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var events = new List<object>();
        var difficulty = Difficulty.Assess(state, settings, today);
        foreach (var contract in state.Contracts.Values.Where(c => c.Signed is not null && c.Cancellation is null && c.InForceOn(today)).OrderBy(c => c.ContractId, StringComparer.Ordinal))
        {
            // The window of the renewal due: once a renewal is signed, the next one is the new end's.
            var endsOn = contract.RenewalDue!.Value;
            if (RenewalWindow.IsOpen(endsOn, difficulty, settings, today) && !state.WindowsOpened.Contains(CustomerRenewal.WindowKey(contract.ContractId, endsOn)))
            {
                // The business date it opened, also when noticed later (a backfill, a late contract).
                var openedOn = RenewalWindow.OpenedOn(endsOn, contract.Signed!.StartsOn, difficulty, settings);
                events.Add(new RenewalWindowOpenedRecorded(contract.ContractId, endsOn, openedOn, now));
            }
        }

        if (AssessRisk(state, settings, now) is { } risk)
        {
            events.Add(risk);
        }

        return events;
    }

    /// <summary>The assessment to append when level, reasons (code and since), contract or end date changed; otherwise null.</summary>
    public static RiskAssessed? AssessRisk(CustomerRenewal state, RenewalSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var outlook = RenewalOutlook.Of(state, settings, today);
        var result = RenewalRisk.Assess(state, settings, now);
        var previous = state.Risk;
        if (previous is null && state.Contracts.Count == 0 && result.Findings.Count == 0)
        {
            // Nothing to say yet (e.g. only a health reading so far): no assessment, no message.
            return null;
        }

        if (previous is not null
            && previous.Level == result.Level
            && previous.ContractId == outlook.Contract?.ContractId
            && previous.EndsOn == outlook.EndsOn
            && previous.Reasons.Select(r => (r.Code, r.Since)).SequenceEqual(result.Reasons.Select(r => (r.Code, r.Since))))
        {
            return null;
        }

        return new RiskAssessed
        {
            CustomerId = state.Id,
            Level = result.Level,
            PreviousLevel = previous?.Level,
            Reasons = result.Reasons,
            ContractId = outlook.Contract?.ContractId,
            EndsOn = outlook.EndsOn,
            DaysToRenewal = outlook.DaysToRenewal,
            Arr = outlook.Arr,
            Currency = outlook.Currency,
            AssessedAt = now,
            // Low needs no reason, so nothing dates it: the assessment that first found it low does.
            LevelSince = result.Since ?? (previous is not null && previous.Level == result.Level ? previous.LevelSince : now),
            Owner = state.Owner,
            Tier = state.Tier,
            Health = state.Health.Count == 0 ? null : new AssessedHealth(state.Health[^1].Score, state.Health[^1].Band, state.Health[^1].Quadrant),
        };
    }

    /// <summary>Evolves a copy of <paramref name="state"/> by <paramref name="facts"/> and decides on it; returns the facts followed by the decisions.</summary>
    public static IReadOnlyList<object> Record(CustomerRenewal state, IEnumerable<object> facts, RenewalSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(facts);
        var next = state.Copy();
        var appended = facts.ToList();
        foreach (var fact in appended)
        {
            next.Evolve(fact);
        }

        appended.AddRange(Decide(next, settings, now));
        return appended;
    }

    /// <summary>A level by its wire name (<c>low</c>, <c>medium</c>, <c>high</c>, <c>critical</c>), or null for anything else.</summary>
    public static RiskLevel? ParseLevel(string? value) => value switch
    {
        "low" => RiskLevel.Low,
        "medium" => RiskLevel.Medium,
        "high" => RiskLevel.High,
        "critical" => RiskLevel.Critical,
        _ => null,
    };
}

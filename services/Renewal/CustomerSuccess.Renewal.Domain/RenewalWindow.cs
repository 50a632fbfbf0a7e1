namespace CustomerSuccess.Renewal.Domain;

/// <summary>
/// When a term's renewal window opens: <see cref="RenewalSettings.WindowDays"/> before it ends, or the largest lead of
/// the customer's tags (<see cref="RenewalSettings.WindowDaysByTag"/>), plus the extra days of each tag present
/// (<see cref="RenewalSettings.ExtraWindowDaysByTag"/>).
/// </summary>
public static class RenewalWindow
{
    public static int LeadDays(DifficultyAssessment difficulty, RenewalSettings settings)
    {
        ArgumentNullException.ThrowIfNull(difficulty);
        ArgumentNullException.ThrowIfNull(settings);
        var tags = difficulty.Tags.Select(t => t.Tag).Append(difficulty.Level.Wire()).Distinct().ToList();
        var lead = tags.Select(t => settings.WindowDaysByTag.GetValueOrDefault(t)).Append(settings.WindowDays).Max();
        return lead + tags.Sum(t => settings.ExtraWindowDaysByTag.GetValueOrDefault(t));
    }

    public static DateOnly OpensOn(DateOnly endsOn, DifficultyAssessment difficulty, RenewalSettings settings) =>
        endsOn.AddDays(-LeadDays(difficulty, settings));

    /// <summary>
    /// The business day the window of a contract's term ending on <paramref name="endsOn"/> opened (or opens): never before
    /// the contract started, and a tag lengthens the lead only from its own since (a customer found very difficult today
    /// did not have the longer window before). The earliest day on which the window was open by the tags held then.
    /// </summary>
    public static DateOnly OpenedOn(DateOnly endsOn, DateOnly startsOn, DifficultyAssessment difficulty, RenewalSettings settings)
    {
        ArgumentNullException.ThrowIfNull(difficulty);
        // The lead only changes on a tag's since, so the answer is a start, a tag's since, or an opening by some set of tags.
        var changes = difficulty.Tags.Select(t => t.Since).Append(DateOnly.MinValue).ToList();
        var candidates = changes.Select(day => OpensOn(endsOn, difficulty.AsOf(day), settings)).Concat(changes).Append(startsOn)
            .Where(day => day >= startsOn)
            .Order();
        foreach (var day in candidates)
        {
            if (day >= OpensOn(endsOn, difficulty.AsOf(day), settings))
            {
                return day;
            }
        }

        var opensOn = OpensOn(endsOn, difficulty, settings);
        return opensOn > startsOn ? opensOn : startsOn;
    }

    /// <summary>Open from <see cref="OpensOn"/> until the term ends.</summary>
    public static bool IsOpen(DateOnly endsOn, DifficultyAssessment difficulty, RenewalSettings settings, DateOnly today) =>
        OpensOn(endsOn, difficulty, settings) <= today && today < endsOn;
}

/// <summary>
/// The customer's renewal outlook on a day: the current contract is the one in force whose next renewal (the end of its
/// last known term; a signed renewal moves it) comes first; with none in force, the next one to start, else the one that
/// stopped last (a lapsed or cancelled customer's). <see cref="EndsOn"/> is when it stops: the renewal due, or the
/// cancellation's effective date.
/// </summary>
public sealed record RenewalOutlook(
    ContractHistory? Contract,
    DateOnly? EndsOn,
    int? DaysToRenewal,
    decimal? Arr,
    string? Currency,
    DateOnly? WindowOpensOn,
    bool WindowOpen,
    DifficultyAssessment Difficulty)
{
    public static RenewalOutlook Of(CustomerRenewal facts, RenewalSettings settings, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var difficulty = Domain.Difficulty.Assess(facts, settings, today);
        var signed = facts.Contracts.Values.Where(c => c.Signed is not null).ToList();
        var contract = signed.Where(c => c.InForceOn(today))
                           .OrderBy(c => c.CoverageEnd).ThenBy(c => c.ContractId, StringComparer.Ordinal)
                           .FirstOrDefault()
                       ?? signed.Where(c => c.Signed!.StartsOn > today).OrderBy(c => c.Signed!.StartsOn).ThenBy(c => c.ContractId, StringComparer.Ordinal).FirstOrDefault()
                       ?? signed.OrderByDescending(c => c.CoverageEnd).ThenBy(c => c.ContractId, StringComparer.Ordinal).FirstOrDefault();
        if (contract is null)
        {
            return new RenewalOutlook(null, null, null, null, null, null, false, difficulty);
        }

        var endsOn = contract.CoverageEnd!.Value;
        var renewalDue = contract.RenewalDue!.Value;
        var arr = contract.InForceOn(today) ? contract.ArrOn(today) : contract.PriceOn(endsOn.AddDays(-1)).Arr;
        var opensOn = RenewalWindow.OpenedOn(renewalDue, contract.Signed!.StartsOn, difficulty, settings);
        var windowOpen = contract.Cancellation is null && RenewalWindow.IsOpen(renewalDue, difficulty, settings, today);
        return new RenewalOutlook(contract, endsOn, endsOn.DayNumber - today.DayNumber, arr, contract.Currency, opensOn, windowOpen, difficulty);
    }
}

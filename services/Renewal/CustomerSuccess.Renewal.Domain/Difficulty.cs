using System.Globalization;

namespace CustomerSuccess.Renewal.Domain;

/// <summary>A difficulty tag with the evidence a CSM reads, and the date from which the evidence holds.</summary>
public sealed record DifficultyTag(string Tag, string Evidence, DateOnly Since);

/// <summary>The difficulty level and every tag behind it (several tags may support one level).</summary>
public sealed record DifficultyAssessment(RenewalDifficulty Level, IReadOnlyList<DifficultyTag> Tags)
{
    public bool Has(string tag) => Tags.Any(t => t.Tag == tag);

    /// <summary>The level the tags make: very difficult over difficult over smooth.</summary>
    public static DifficultyAssessment Of(IReadOnlyList<DifficultyTag> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var level = tags.Any(t => t.Tag == DifficultyTags.VeryDifficult) ? RenewalDifficulty.VeryDifficult
            : tags.Any(t => t.Tag == DifficultyTags.Difficult) ? RenewalDifficulty.Difficult
            : RenewalDifficulty.Smooth;
        return new DifficultyAssessment(level, tags);
    }

    /// <summary>Only the tags whose evidence held by <paramref name="day"/>, and the level they make.</summary>
    public DifficultyAssessment AsOf(DateOnly day) => Of(Tags.Where(t => t.Since <= day).ToList());
}

/// <summary>
/// Renewal difficulty from invoice and renewal history as of a day: only invoices due by then and renewals signed by
/// then count. <c>difficult</c>: pays at the last moment as a habit, paid one invoice late, or renewed at a lower price;
/// <c>very_difficult</c>: repeatedly late, or renewed after the term had ended. <c>finance_cycle_mismatch</c>: invoices
/// due after the finance run closes habitually land early the next month; those slips are explained by the cycle and do
/// not count as late.
/// </summary>
public static class Difficulty
{
    public static DifficultyAssessment Assess(CustomerRenewal facts, RenewalSettings settings, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(settings);
        var tags = new List<DifficultyTag>();
        // As of today: a payment made later is not made yet.
        var due = facts.Invoices.Values
            .Where(i => i.DueOn is { } dueOn && dueOn <= today)
            .Select(i => i.PaidOn > today ? i with { PaidOn = null } : i)
            .OrderBy(i => i.DueOn).ThenBy(i => i.InvoiceId, StringComparer.Ordinal)
            .ToList();

        var slips = FinanceCycleSlips(due, settings);
        var lateInMonthPaid = due.Count(i => i.PaidOn is not null && i.DueOn!.Value.Day > settings.FinanceCycleCloseDay);
        var financeCycle = slips.Count >= settings.FinanceCycleMinInvoices && slips.Count >= settings.FinanceCycleShare * lateInMonthPaid;
        if (financeCycle)
        {
            tags.Add(new DifficultyTag(
                DifficultyTags.FinanceCycleMismatch,
                Invariant($"{slips.Count} of {lateInMonthPaid} invoices due after the {Ordinal(settings.FinanceCycleCloseDay)} (when the finance run closes) were paid early the next month: {List(slips, i => $"due {i.DueOn:yyyy-MM-dd}, paid {i.PaidOn:yyyy-MM-dd}")}"),
                slips[settings.FinanceCycleMinInvoices - 1].PaidOn!.Value));
        }

        var explained = financeCycle ? slips.Select(i => i.InvoiceId).ToHashSet(StringComparer.Ordinal) : [];
        var late = due.Where(i => !explained.Contains(i.InvoiceId) && IsLate(i, settings, today)).ToList();
        if (late.Count >= settings.RepeatedlyLateInvoices)
        {
            tags.Add(new DifficultyTag(
                DifficultyTags.VeryDifficult,
                Invariant($"repeatedly late: {late.Count} of {due.Count} invoices paid late or still unpaid past due ({List(late, i => Lateness(i, today))})"),
                LateSince(late[settings.RepeatedlyLateInvoices - 1], settings)));
        }
        else if (late.Count == 1)
        {
            tags.Add(new DifficultyTag(DifficultyTags.Difficult, Invariant($"paid late once: {Lateness(late[0], today)}"), LateSince(late[0], settings)));
        }

        var onTime = due.Where(i => i.PaidOn is { } paid && paid <= i.DueOn!.Value).ToList();
        var lastMoment = onTime.Where(i => i.DueOn!.Value.DayNumber - i.PaidOn!.Value.DayNumber <= settings.LastMomentDays).ToList();
        if (lastMoment.Count >= settings.LastMomentMinInvoices && lastMoment.Count >= settings.LastMomentShare * onTime.Count)
        {
            tags.Add(new DifficultyTag(
                DifficultyTags.Difficult,
                Invariant($"pays only at the last moment: {lastMoment.Count} of {onTime.Count} on-time invoices paid {settings.LastMomentDays} days or less before the due date ({List(lastMoment, i => $"due {i.DueOn:yyyy-MM-dd}, paid {i.PaidOn:yyyy-MM-dd}")})"),
                lastMoment[settings.LastMomentMinInvoices - 1].PaidOn!.Value));
        }

        foreach (var contract in facts.Contracts.Values.OrderBy(c => c.ContractId, StringComparer.Ordinal))
        {
            var terms = contract.Terms();
            for (var t = 1; t < terms.Count; t++)
            {
                var renewal = terms[t].Renewal!;
                var signedOn = DateOnly.FromDateTime(renewal.OccurredAt.UtcDateTime);
                if (signedOn > today)
                {
                    continue;
                }

                var before = contract.PriceOn(terms[t].StartsOn.AddDays(-1)).Arr;
                if (before > 0 && renewal.Arr <= before * (1 - (decimal)settings.LowerPriceRenewalDrop))
                {
                    tags.Add(new DifficultyTag(
                        DifficultyTags.Difficult,
                        Invariant($"renewed {contract.ContractId} at a lower price after negotiation: {renewal.Arr:0.##} {contract.Currency}, down from {before:0.##} ({(renewal.Arr - before) / before:P0})"),
                        signedOn));
                }

                // A term covers up to, not including, its end: signed on the end day, the customer was already without it.
                var lateBy = signedOn.DayNumber - terms[t].StartsOn.DayNumber;
                if (lateBy >= settings.RenewedLateGraceDays)
                {
                    var when = lateBy == 0 ? "the day the term ended" : Invariant($"{lateBy} days after the term ended on {terms[t].StartsOn:yyyy-MM-dd}");
                    tags.Add(new DifficultyTag(
                        DifficultyTags.VeryDifficult,
                        Invariant($"renewed {contract.ContractId} after it had ended: signed {signedOn:yyyy-MM-dd}, {when}"),
                        signedOn));
                }
            }
        }

        return DifficultyAssessment.Of(tags);
    }

    /// <summary>Invoices due late in the month (after the finance run closes) and paid early in the next month.</summary>
    private static List<InvoiceRecord> FinanceCycleSlips(IEnumerable<InvoiceRecord> due, RenewalSettings settings) =>
        due.Where(i => i is { DueOn: { } dueOn, PaidOn: { } paid }
                       && dueOn.Day > settings.FinanceCycleCloseDay
                       && paid > dueOn
                       && paid.Year * 12 + paid.Month == dueOn.Year * 12 + dueOn.Month + 1
                       && paid.Day <= settings.FinanceCycleNextMonthDay)
            .OrderBy(i => i.PaidOn)
            .ToList();

    private static bool IsLate(InvoiceRecord invoice, RenewalSettings settings, DateOnly today)
    {
        var deadline = invoice.DueOn!.Value.AddDays(settings.LateGraceDays);
        return invoice.PaidOn is { } paid ? paid > deadline : today > deadline;
    }

    private static DateOnly LateSince(InvoiceRecord invoice, RenewalSettings settings) =>
        invoice.PaidOn ?? invoice.DueOn!.Value.AddDays(settings.LateGraceDays + 1);

    private static string Lateness(InvoiceRecord invoice, DateOnly today) => invoice.PaidOn is { } paid
        ? Invariant($"{invoice.InvoiceId} due {invoice.DueOn:yyyy-MM-dd} paid {paid:yyyy-MM-dd}, {paid.DayNumber - invoice.DueOn!.Value.DayNumber} days late")
        : Invariant($"{invoice.InvoiceId} due {invoice.DueOn:yyyy-MM-dd} unpaid, {today.DayNumber - invoice.DueOn!.Value.DayNumber} days overdue");

    private static string List<T>(IEnumerable<T> items, Func<T, string> describe) => string.Join("; ", items.Select(describe));

    private static string Ordinal(int day) => day.ToString(CultureInfo.InvariantCulture) + (day % 10 == 1 && day != 11 ? "st" : day % 10 == 2 && day != 12 ? "nd" : day % 10 == 3 && day != 13 ? "rd" : "th");

    internal static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}

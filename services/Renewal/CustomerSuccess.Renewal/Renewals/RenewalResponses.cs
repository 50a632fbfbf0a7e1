using System.Text.Json;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.Renewal.Domain;

namespace CustomerSuccess.Renewal.Renewals;

/// <summary>Maps the pure results onto the public HTTP DTOs.</summary>
public static class RenewalResponses
{
    public static CustomerRenewalResponse Customer(CustomerRenewal facts, RenewalSettings settings, DateTimeOffset now, RenewalHealthDetail? healthDetail)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var outlook = RenewalOutlook.Of(facts, settings, today);
        var risk = Domain.RenewalRisk.Assess(facts, settings, now);
        var since = risk.Since ?? (facts.Risk is { } stored && stored.Level == risk.Level ? stored.LevelSince : null);
        return new CustomerRenewalResponse(
            facts.Id,
            facts.Contracts.Values.Where(c => c.Signed is not null).OrderBy(c => c.Signed!.StartsOn).ThenBy(c => c.ContractId, StringComparer.Ordinal)
                .Select(c => Contract(c, today)).ToList(),
            outlook.Contract?.ContractId,
            outlook.EndsOn,
            outlook.DaysToRenewal,
            outlook.Arr,
            outlook.Currency,
            outlook.WindowOpensOn,
            outlook.WindowOpen,
            outlook.Difficulty.Level.Wire(),
            outlook.Difficulty.Tags.Select(t => new RenewalDifficultyTag(t.Tag, t.Evidence, t.Since)).ToList(),
            new Contracts.Http.RenewalRisk(risk.Level, since, risk.Reasons),
            healthDetail);
    }

    public static RenewalContract Contract(ContractHistory contract, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var signed = contract.Signed!;
        var terms = contract.Terms();
        var (arr, seats) = contract.InForceOn(today) ? (contract.ArrOn(today), contract.SeatsOn(today)) : contract.PriceOn(contract.CoverageEnd!.Value.AddDays(-1));
        return new RenewalContract(
            contract.ContractId,
            arr,
            contract.Currency,
            seats,
            signed.StartsOn,
            contract.RenewalDue!.Value,
            Wire(contract.StatusOn(today)),
            signed.Products,
            contract.Amendments.OrderBy(a => a.EffectiveOn).Select(a => new ContractAmendment(a.EffectiveOn, a.Arr, a.Seats, Wire(contract.KindOf(a)))).ToList(),
            terms.Skip(1).Select(t => new ContractRenewal(DateOnly.FromDateTime(t.Renewal!.OccurredAt.UtcDateTime), t.StartsOn, t.EndsOn, t.Arr, t.Seats)).ToList(),
            contract.Cancellation is { } c ? new ContractCancellation(c.EffectiveOn, DateOnly.FromDateTime(c.OccurredAt.UtcDateTime), c.Reason, c.Competitor) : null);
    }

    public static RenewalListItem ListItem(CustomerRenewal facts, RenewalSettings settings, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var outlook = RenewalOutlook.Of(facts, settings, today);
        var endsOn = outlook.EndsOn ?? facts.EndsOn!.Value;
        return new RenewalListItem(
            facts.Id, outlook.Contract?.ContractId, endsOn, endsOn.DayNumber - today.DayNumber, outlook.Arr, outlook.Currency,
            facts.RiskLevel, facts.Tier, outlook.Difficulty.Level.Wire(), outlook.WindowOpen);
    }

    public static CurrencyPortfolioMetrics Metrics(CurrencyMetrics m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new CurrencyPortfolioMetrics(
            m.Currency, m.StartingArr, m.EndingArr, m.ChurnedArr, m.ContractionArr, m.ExpansionArr, m.NewArr, m.Grr, m.Nrr,
            m.CohortCustomers, m.ChurnedCustomers, m.LogoChurnRate, m.RenewalsDue, m.Renewed, m.RenewalRate, m.RenewalRateArr, m.ArrAtRisk,
            m.Distribution.Select(d => new PortfolioDistributionCell(d.Tier, d.Band, d.Customers, d.Arr)).ToList());
    }

    private static string Wire(Enum value) => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}

using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.Renewal.Domain;

/// <summary>Customers and ARR in one tier × band cell (band null: not scored by HealthScore yet).</summary>
public sealed record DistributionCell(CustomerTier Tier, HealthBand? Band, int Customers, decimal Arr);

/// <summary>The portfolio metrics of one currency over [from, to).</summary>
public sealed record CurrencyMetrics
{
    public required string Currency { get; init; }
    public decimal StartingArr { get; init; }
    public decimal EndingArr { get; init; }
    public decimal ChurnedArr { get; init; }
    public decimal ContractionArr { get; init; }
    public decimal ExpansionArr { get; init; }
    public decimal NewArr { get; init; }
    public decimal? Grr { get; init; }
    public decimal? Nrr { get; init; }
    public int CohortCustomers { get; init; }
    public int ChurnedCustomers { get; init; }
    public decimal? LogoChurnRate { get; init; }
    public int RenewalsDue { get; init; }
    public int Renewed { get; init; }
    public decimal? RenewalRate { get; init; }
    public decimal? RenewalRateArr { get; init; }
    public decimal ArrAtRisk { get; init; }
    public IReadOnlyList<DistributionCell> Distribution { get; init; } = [];
}

/// <summary>
/// Portfolio metrics, per currency (never summed across currencies), exactly as the README defines them: the cohort is
/// the customers with a contract of that currency in force on <c>from</c> (whatever its ARR), a churned customer one of
/// them with none in force on <c>to</c>; a customer's ARR on a day is the sum of its contracts in force then; renewals due are the contract terms ending in [from, to), renewed when a renewal follows the
/// term, whenever it was signed. ARR at risk and the distribution are as of <c>now</c>. Ratios are null when their
/// denominator is zero.
/// </summary>
public static class PortfolioMetrics
{
    public static IReadOnlyList<CurrencyMetrics> Compute(IReadOnlyCollection<CustomerRenewal> customers, DateOnly from, DateOnly to, DateOnly now)
    {
        ArgumentNullException.ThrowIfNull(customers);
        if (to <= from)
        {
            throw new ArgumentException("'to' must be after 'from'.", nameof(to));
        }

        var currencies = customers.SelectMany(c => c.Contracts.Values).Where(c => c.Signed is not null).Select(c => c.Currency).Distinct().OrderBy(c => c, StringComparer.Ordinal);
        return currencies.Select(currency => ForCurrency(customers, currency, from, to, now)).ToList();
    }

    public static decimal ArrOn(CustomerRenewal customer, string currency, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return customer.Contracts.Values.Where(c => c.Signed is not null && c.Currency == currency).Sum(c => c.ArrOn(day));
    }

    public static bool InForceOn(CustomerRenewal customer, string currency, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return customer.Contracts.Values.Any(c => c.Signed is not null && c.Currency == currency && c.InForceOn(day));
    }

    private static CurrencyMetrics ForCurrency(IReadOnlyCollection<CustomerRenewal> customers, string currency, DateOnly from, DateOnly to, DateOnly now)
    {
        decimal starting = 0, ending = 0, churned = 0, contraction = 0, expansion = 0, newArr = 0, atRisk = 0;
        int cohort = 0, churnedCustomers = 0;
        foreach (var customer in customers)
        {
            var s = ArrOn(customer, currency, from);
            var e = ArrOn(customer, currency, to);
            // Membership and logo churn go by contracts in force, not by ARR: a free (0 ARR) contract is a customer too.
            if (InForceOn(customer, currency, from))
            {
                cohort++;
                starting += s;
                ending += e;
                if (!InForceOn(customer, currency, to))
                {
                    churnedCustomers++;
                }

                if (e == 0)
                {
                    churned += s;
                }
                else if (e < s)
                {
                    contraction += s - e;
                }
                else if (e > s)
                {
                    expansion += e - s;
                }
            }
            else
            {
                newArr += e;
            }

            if (customer.Risk?.Level is RiskLevel.High or RiskLevel.Critical)
            {
                atRisk += ArrOn(customer, currency, now);
            }
        }

        int due = 0, renewed = 0;
        decimal dueArr = 0, renewedArr = 0;
        foreach (var contract in customers.SelectMany(c => c.Contracts.Values).Where(c => c.Signed is not null && c.Currency == currency))
        {
            var terms = contract.Terms();
            for (var t = 0; t < terms.Count; t++)
            {
                var end = terms[t].EndsOn;
                if (end < from || end >= to || (contract.Cancellation is { } cancelled && cancelled.EffectiveOn <= terms[t].StartsOn))
                {
                    continue;
                }

                var arr = contract.PriceOn(end.AddDays(-1)).Arr;
                due++;
                dueArr += arr;
                if (t + 1 < terms.Count)
                {
                    renewed++;
                    renewedArr += arr;
                }
            }
        }

        var distribution = customers
            .Select(c => (Customer: c, Arr: ArrOn(c, currency, now)))
            .Where(x => x.Arr > 0)
            .GroupBy(x => (x.Customer.Tier, Band: x.Customer.Health.LastOrDefault()?.Band))
            .OrderBy(g => g.Key.Tier).ThenBy(g => g.Key.Band)
            .Select(g => new DistributionCell(g.Key.Tier, g.Key.Band, g.Count(), g.Sum(x => x.Arr)))
            .ToList();

        return new CurrencyMetrics
        {
            Currency = currency,
            StartingArr = starting,
            EndingArr = ending,
            ChurnedArr = churned,
            ContractionArr = contraction,
            ExpansionArr = expansion,
            NewArr = newArr,
            Grr = Ratio(starting - churned - contraction, starting),
            Nrr = Ratio(ending, starting),
            CohortCustomers = cohort,
            ChurnedCustomers = churnedCustomers,
            LogoChurnRate = Ratio(churnedCustomers, cohort),
            RenewalsDue = due,
            Renewed = renewed,
            RenewalRate = Ratio(renewed, due),
            RenewalRateArr = Ratio(renewedArr, dueArr),
            ArrAtRisk = atRisk,
            Distribution = distribution,
        };
    }

    private static decimal? Ratio(decimal numerator, decimal denominator) => denominator == 0 ? null : Math.Round(numerator / denominator, 4);
}

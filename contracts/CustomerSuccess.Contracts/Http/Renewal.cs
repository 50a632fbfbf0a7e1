using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.Contracts.Http;

/// <summary>
/// Answer of <c>GET /v1/customers/{id}/renewal</c>: every contract with its history, the current contract (the one in
/// force that ends first) with its renewal window, the difficulty with its evidence, the risk with its reasons, and
/// optionally the health behind it as HealthScore explains it.
/// </summary>
public sealed record CustomerRenewalResponse(
    string CustomerId,
    IReadOnlyList<RenewalContract> Contracts,
    string? ContractId,
    DateOnly? EndsOn,
    int? DaysToRenewal,
    decimal? Arr,
    string? Currency,
    DateOnly? WindowOpensOn,
    bool WindowOpen,
    string Difficulty,
    IReadOnlyList<RenewalDifficultyTag> Tags,
    RenewalRisk Risk,
    RenewalHealthDetail? HealthDetail);

/// <summary>
/// One contract (main product or add-on). <c>Arr</c> and <c>Seats</c> are those in force today (the last ones once it
/// ended); <c>EndsOn</c> is the end of its current (or last) term; <c>Status</c> is <c>active</c>, <c>renewed</c>,
/// <c>cancelled</c> or <c>lapsed</c>.
/// </summary>
public sealed record RenewalContract(
    string ContractId,
    decimal Arr,
    string Currency,
    int Seats,
    DateOnly StartsOn,
    DateOnly EndsOn,
    string Status,
    IReadOnlyList<string> Products,
    IReadOnlyList<ContractAmendment> Amendments,
    IReadOnlyList<ContractRenewal> Renewals,
    ContractCancellation? Cancellation);

/// <summary>A mid-term change: <c>Kind</c> is <c>expansion</c>, <c>contraction</c> or <c>unchanged</c> against the ARR the day before.</summary>
public sealed record ContractAmendment(DateOnly EffectiveOn, decimal Arr, int Seats, string Kind);

/// <summary>A renewal: the term it started (<c>StartsOn</c> = the previous end) and the day it was signed.</summary>
public sealed record ContractRenewal(DateOnly SignedOn, DateOnly StartsOn, DateOnly EndsOn, decimal Arr, int Seats);

/// <summary>A cancellation with its reason and the competitor, when known.</summary>
public sealed record ContractCancellation(DateOnly EffectiveOn, DateOnly AnnouncedOn, string? Reason, string? Competitor);

/// <summary>A difficulty tag (<c>difficult</c>, <c>very_difficult</c>, <c>finance_cycle_mismatch</c>) and the evidence behind it.</summary>
public sealed record RenewalDifficultyTag(string Tag, string Evidence, DateOnly Since);

/// <summary>Renewal risk level, since when it holds, and the reasons behind it (most severe first).</summary>
public sealed record RenewalRisk(RiskLevel Level, DateTimeOffset? Since, IReadOnlyList<RiskReason> Reasons);

/// <summary>
/// The customer's health as HealthScore explains it now, read from HealthScore when asked. <c>Available</c> false with a
/// <c>Note</c> when HealthScore did not answer in time or has not scored the customer; the risk is computed without it.
/// </summary>
public sealed record RenewalHealthDetail(
    bool Available,
    string? Note,
    double? Score,
    HealthBand? Band,
    Quadrant? Quadrant,
    HealthTrend? Trend,
    DateTimeOffset? EvaluatedAt,
    IReadOnlyList<HealthContribution> Contributions);

/// <summary>Answer of <c>GET /v1/renewals</c>: one page, sorted by days to renewal; <c>Next</c> is the cursor of the next page or null.</summary>
public sealed record RenewalListResponse(IReadOnlyList<RenewalListItem> Items, string? Next);

/// <summary>A customer on the renewal worklist.</summary>
public sealed record RenewalListItem(
    string CustomerId,
    string? ContractId,
    DateOnly EndsOn,
    int DaysToRenewal,
    decimal? Arr,
    string? Currency,
    RiskLevel Risk,
    CustomerTier Tier,
    string Difficulty,
    bool WindowOpen);

/// <summary>Answer of <c>GET /v1/portfolio/metrics</c>: one entry per currency over [<c>From</c>, <c>To</c>); ARR at risk and the distribution as of <c>AsOf</c>.</summary>
public sealed record PortfolioMetricsResponse(DateOnly From, DateOnly To, DateTimeOffset AsOf, IReadOnlyList<CurrencyPortfolioMetrics> Currencies);

/// <summary>The portfolio metrics of one currency (ratios null when their denominator is zero); README "Portfolio metrics" defines each.</summary>
public sealed record CurrencyPortfolioMetrics(
    string Currency,
    decimal StartingArr,
    decimal EndingArr,
    decimal ChurnedArr,
    decimal ContractionArr,
    decimal ExpansionArr,
    decimal NewArr,
    decimal? Grr,
    decimal? Nrr,
    int CohortCustomers,
    int ChurnedCustomers,
    decimal? LogoChurnRate,
    int RenewalsDue,
    int Renewed,
    decimal? RenewalRate,
    decimal? RenewalRateArr,
    decimal ArrAtRisk,
    IReadOnlyList<PortfolioDistributionCell> Distribution);

/// <summary>Customers and ARR in one tier × band cell; <c>Band</c> null for customers HealthScore has not scored.</summary>
public sealed record PortfolioDistributionCell(CustomerTier Tier, HealthBand? Band, int Customers, decimal Arr);

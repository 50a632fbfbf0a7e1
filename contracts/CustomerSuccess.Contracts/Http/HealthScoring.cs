using System.Text.Json;
using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.Contracts.Http;

/// <summary>
/// Answer of <c>GET /v1/customers/{id}/health/history</c>: the evaluations that changed the customer's health in the
/// range (by <c>evaluatedAt</c>, both ends inclusive), oldest first.
/// </summary>
public sealed record HealthHistoryResponse(string CustomerId, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<HealthHistoryEntry> Evaluations);

/// <summary>
/// One stored evaluation, exactly as it was made: a later model version never rewrites it. <c>EventId</c> is the
/// evaluation's id (the <c>CustomerHealthChanged.EventId</c> when it was published); <c>Tier</c> is the tier scored with
/// (key account also when the customer's profile flags it); <c>Stage</c> the lifecycle stage whose measure weights were
/// used; <c>Significant</c> says whether it changed band, quadrant or score by the model's publish margin since the last
/// significant one, and so was published as <c>CustomerHealthChanged</c>.
/// </summary>
public sealed record HealthHistoryEntry(
    string EventId,
    double Score,
    double Outcome,
    double Experience,
    HealthBand Band,
    Quadrant Quadrant,
    HealthTrend Trend,
    int ModelVersion,
    CustomerTier Tier,
    LifecycleStage Stage,
    bool Significant,
    DateTimeOffset EvaluatedAt,
    IReadOnlyList<string> TopReasons,
    IReadOnlyList<HealthContribution> Contributions);

/// <summary>
/// Answer of <c>GET /v1/health</c>: one page of customers' current health, ordered by customer id; <c>Total</c> counts
/// the customers matching the filters on all pages.
/// </summary>
public sealed record HealthListResponse(int Total, int Offset, int Limit, IReadOnlyList<HealthListItem> Customers);

/// <summary>A customer's current health, without its contributions.</summary>
public sealed record HealthListItem(
    string CustomerId,
    double Score,
    double Outcome,
    double Experience,
    HealthBand Band,
    Quadrant Quadrant,
    HealthTrend Trend,
    CustomerTier Tier,
    LifecycleStage Stage,
    int ModelVersion,
    DateTimeOffset EvaluatedAt);

/// <summary>
/// A version of the scoring model (<c>GET /v1/scoring-model/versions</c>): when it became the current model (null for
/// the built-in default, version 1) and the name of the API key that stored it.
/// </summary>
public sealed record ScoringModelVersionInfo(int Version, DateTimeOffset? AdoptedAt, string? AdoptedBy);

/// <summary>
/// Body of <c>POST /v1/scoring-model/simulate</c>: the candidate <c>Model</c> in the shape <c>GET /v1/scoring-model</c>
/// returns (its version is ignored); the <c>CustomerIds</c> to simulate (at most 1000; all customers when null); the
/// instant both models are evaluated at (<c>AsOf</c>, now when null); and how many days before each known renewal or
/// churn the backtest scores the customer (<c>BacktestDaysBefore</c>, default 90).
/// </summary>
public sealed record ScoringSimulationRequest(JsonElement Model, IReadOnlyList<string>? CustomerIds = null, DateTimeOffset? AsOf = null, int? BacktestDaysBefore = null);

/// <summary>
/// Answer of <c>POST /v1/scoring-model/simulate</c>; nothing was stored or published. <c>CandidateModelVersion</c> is the
/// version the candidate would get if it were stored now; <c>UnknownCustomerIds</c> lists requested customers
/// HealthScore has no facts for.
/// </summary>
public sealed record ScoringSimulationResponse(
    int CurrentModelVersion,
    int CandidateModelVersion,
    DateTimeOffset AsOf,
    SimulationSummary Summary,
    IReadOnlyList<CustomerSimulation> Customers,
    IReadOnlyList<string> UnknownCustomerIds,
    BacktestReport Backtest);

/// <summary>
/// How the candidate model moves the simulated customers: how many change band or quadrant, the mean of
/// (candidate − current) score and of its absolute value, and the customers per band change (only changes).
/// </summary>
public sealed record SimulationSummary(
    int Customers,
    int BandChanges,
    int QuadrantChanges,
    double MeanScoreDelta,
    double MeanAbsoluteScoreDelta,
    IReadOnlyList<BandTransition> BandTransitions);

/// <summary>How many simulated customers would move from one band to another.</summary>
public sealed record BandTransition(HealthBand From, HealthBand To, int Customers);

/// <summary>One customer under the current and the candidate model (<c>ScoreDelta</c> = candidate − current).</summary>
public sealed record CustomerSimulation(
    string CustomerId,
    SimulatedHealth Current,
    SimulatedHealth Candidate,
    double ScoreDelta,
    bool BandChanged,
    bool QuadrantChanged);

/// <summary>The headline of a health result.</summary>
public sealed record SimulatedHealth(double Score, double Outcome, double Experience, HealthBand Band, Quadrant Quadrant, int ModelVersion);

/// <summary>
/// How well each model, scoring customers <c>DaysBefore</c> days before a known outcome, separated those that renewed
/// (<c>contract.renewed</c>) from those that churned (<c>contract.cancelled</c>). A customer may contribute several
/// outcomes; <c>Skipped</c> counts outcomes with nothing known about the customer that many days before.
/// </summary>
public sealed record BacktestReport(int DaysBefore, int Renewals, int Churns, int Skipped, ModelSeparation Current, ModelSeparation Candidate);

/// <summary>
/// Scores of renewed versus churned customers under one model. <c>Auc</c> is the probability that a renewed customer
/// outscores a churned one (ties count half; the area under the ROC curve): 1 separates perfectly, 0.5 is chance; the
/// means and the AUC are null when their group is empty.
/// </summary>
public sealed record ModelSeparation(int ModelVersion, double? MeanRenewedScore, double? MeanChurnedScore, double? Auc);

/// <summary>Answer of <c>POST /v1/health/evaluations</c>: customers re-scored as of <c>AsOf</c> and how many got a new result.</summary>
public sealed record HealthReevaluationResult(int Customers, int Changed, DateTimeOffset AsOf);

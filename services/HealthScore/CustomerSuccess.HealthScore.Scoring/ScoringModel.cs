using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.HealthScore.Domain;

/// <summary>
/// A versioned scoring model: everything that decides how facts become a health score. Pure data, so it can be
/// stored, served, replaced by a new version and simulated over history; <see cref="Validate"/> says whether it is usable.
/// </summary>
public sealed record ScoringModel
{
    /// <summary>Default retention of facts: long enough to evaluate "as of" a year back, including its 30-day trend.</summary>
    public const int DefaultRetentionDays = 400;

    /// <summary>Version stamped on every result; a changed model gets a new version.</summary>
    public int Version { get; init; } = 1;

    /// <summary>
    /// The features that embody the product's value (configuration: <c>message.sent</c> for a chat product,
    /// <c>followup.logged</c> for a CRM). Used by <see cref="MeasureNames.CoreFeatureUsage"/>.
    /// </summary>
    public IReadOnlyList<string> CoreFeatures { get; init; } = ["message.sent"];

    /// <summary>Roles whose presence among active users <see cref="MeasureNames.RoleCoverage"/> looks for.</summary>
    public IReadOnlyList<UserRole> KeyRoles { get; init; } = [UserRole.Executive, UserRole.Operator, UserRole.Finance];

    /// <summary>Outcome/experience shares per tier: 80/20 by default, 70/30 for key accounts (outcome at most 70%).</summary>
    public IReadOnlyList<GroupShare> GroupShares { get; init; } =
    [
        new() { Tier = CustomerTier.Standard, Outcome = 0.8, Experience = 0.2 },
        new() { Tier = CustomerTier.HighPotential, Outcome = 0.8, Experience = 0.2 },
        new() { Tier = CustomerTier.KeyAccount, Outcome = 0.7, Experience = 0.3 },
    ];

    /// <summary>Score from which a customer is green (default 70).</summary>
    public double GreenFrom { get; init; } = 70;

    /// <summary>Score from which a customer is yellow rather than red (default 40).</summary>
    public double YellowFrom { get; init; } = 40;

    /// <summary>Outcome from which it counts as high in the quadrant (default 60).</summary>
    public double OutcomeHighFrom { get; init; } = 60;

    /// <summary>Experience from which it counts as high in the quadrant (default 60).</summary>
    public double ExperienceHighFrom { get; init; } = 60;

    /// <summary>The trend compares the score with the one this many days earlier (default 30).</summary>
    public int TrendDays { get; init; } = 30;

    /// <summary>Points of change over <see cref="TrendDays"/> that make the trend improving or declining (default 5).</summary>
    public double TrendThreshold { get; init; } = 5;

    /// <summary>Points of decline over <see cref="TrendDays"/> that make it a steep decline, a risk even while green (default 15).</summary>
    public double SteepDeclineThreshold { get; init; } = 15;

    /// <summary>A score change of at least this many points is worth publishing even without a band or quadrant change (default 5).</summary>
    public double PublishMargin { get; init; } = 5;

    /// <summary>
    /// Days of facts a <see cref="CustomerFacts"/> keeps behind its newest fact (default 400). The service copies it to
    /// <see cref="CustomerFacts.RetentionDays"/>; it must cover the longest window plus the trend.
    /// </summary>
    public int RetentionDays { get; init; } = DefaultRetentionDays;

    /// <summary>Outcome used when no outcome measure has data (no seats, no usage): 0, no evidence of value.</summary>
    public double NoOutcomeDataScore { get; init; }

    /// <summary>Experience used when no experience measure has data: 50, neutral — no news is neither good nor bad.</summary>
    public double NoExperienceDataScore { get; init; } = 50;

    /// <summary>SLA targets per ticket category; incident is tighter than operational, which is tighter than request.</summary>
    public IReadOnlyList<ServiceLevelTarget> ServiceLevels { get; init; } =
    [
        new() { Category = TicketCategory.Incident, FirstResponseHours = 1, ResolutionHours = 8, UrgencyWeight = 3 },
        new() { Category = TicketCategory.Operational, FirstResponseHours = 4, ResolutionHours = 24, UrgencyWeight = 2 },
        new() { Category = TicketCategory.Request, FirstResponseHours = 24, ResolutionHours = 240, UrgencyWeight = 1 },
    ];

    /// <summary>The measures and how each counts. Weights within a group sum to 1 for every lifecycle stage.</summary>
    public IReadOnlyList<MeasureDefinition> Measures { get; init; } = DefaultMeasures;

    /// <summary>The outcome/experience shares for a tier.</summary>
    public GroupShare SharesFor(CustomerTier tier) =>
        GroupShares.FirstOrDefault(s => s.Tier == tier)
        ?? throw new InvalidOperationException($"Scoring model {Version} has no group shares for tier {tier}.");

    /// <summary>The SLA targets of a ticket category.</summary>
    public ServiceLevelTarget ServiceLevelFor(TicketCategory category) =>
        ServiceLevels.FirstOrDefault(s => s.Category == category)
        ?? throw new InvalidOperationException($"Scoring model {Version} has no service level for {category}.");

    /// <summary>Everything wrong with this model; empty when it can be used.</summary>
    public IReadOnlyList<string> Validate() => ScoringModelValidation.Validate(this);

    private static IReadOnlyList<MeasureDefinition> DefaultMeasures { get; } =
    [
        // Outcome. Weight = mature, renewal and churned; onboarding leans on daily activity and activation,
        // adoption balances daily with weekly/monthly activity, breadth and output.
        Outcome(MeasureNames.CoreFeatureUsage, 30, 0, 0.6, mature: 0.20, onboarding: 0.20, adoption: 0.20),
        Outcome(MeasureNames.FeatureBreadth, 30, 0, 5, mature: 0.15, onboarding: 0.05, adoption: 0.15),
        Outcome(MeasureNames.DailyActiveUsers, 30, 0, 0.5, mature: 0.05, onboarding: 0.30, adoption: 0.10),
        Outcome(MeasureNames.WeeklyActiveUsers, 7, 0, 0.7, mature: 0.15, onboarding: 0.10, adoption: 0.15),
        Outcome(MeasureNames.MonthlyActiveUsers, 30, 0, 0.8, mature: 0.15, onboarding: 0.05, adoption: 0.10),
        Outcome(MeasureNames.SeatActivation, 90, 0, 0.9, mature: 0.05, onboarding: 0.20, adoption: 0.10),
        Outcome(MeasureNames.RoleCoverage, 30, 0, 1, mature: 0.10, onboarding: 0.05, adoption: 0.10),
        Outcome(MeasureNames.OutputIndex, 30, 0, 40, mature: 0.15, onboarding: 0.05, adoption: 0.10),

        // Experience. Same weights in every stage except onboarding, where activation feedback matters more
        // than advocacy.
        Experience(MeasureNames.FirstResponseTime, 90, 40, 95, 0.12),
        Experience(MeasureNames.ResolutionTime, 90, 40, 95, 0.08),
        Experience(MeasureNames.ReopenRate, 90, 25, 0, 0.06),
        Experience(MeasureNames.IncidentLoad, 90, 5, 0, 0.08),
        Experience(MeasureNames.Nps, 90, -50, 50, 0.14),
        Experience(MeasureNames.Csat, 90, 2, 4.5, 0.08),
        Experience(MeasureNames.Ces, 90, 6, 2, 0.05),
        Experience(MeasureNames.StakeholderPresence, 0, 0, 1, 0.09),
        Experience(MeasureNames.StakeholderLoss, 90, 1, 0, 0.16), // a single key departure zeroes it: a strong negative
        Experience(MeasureNames.Advocacy, 365, 0, 1, 0.06, onboarding: 0.02),
        Experience(MeasureNames.ActivationFriction, 90, -25, 25, 0.08, onboarding: 0.12),
    ];

    // Declared after DefaultMeasures: static initialisers run in textual order.

    /// <summary>The default model (version 1), calibrated against the scenarios in DOMAIN.md.</summary>
    public static ScoringModel Default { get; } = new();

    private static MeasureDefinition Outcome(
        string name, int windowDays, double floor, double target, double mature, double onboarding, double adoption) =>
        new()
        {
            Name = name, Group = MeasureGroup.Outcome, WindowDays = windowDays, Floor = floor, Target = target, Weight = mature,
            StageWeights = new Dictionary<LifecycleStage, double>
            {
                [LifecycleStage.Onboarding] = onboarding,
                [LifecycleStage.Adoption] = adoption,
            },
        };

    private static MeasureDefinition Experience(
        string name, int windowDays, double floor, double target, double weight, double? onboarding = null) =>
        new()
        {
            Name = name, Group = MeasureGroup.Experience, WindowDays = windowDays, Floor = floor, Target = target, Weight = weight,
            StageWeights = onboarding is { } w
                ? new Dictionary<LifecycleStage, double> { [LifecycleStage.Onboarding] = w }
                : new Dictionary<LifecycleStage, double>(),
        };
}

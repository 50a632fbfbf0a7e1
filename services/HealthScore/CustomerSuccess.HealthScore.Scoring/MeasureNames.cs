namespace CustomerSuccess.HealthScore.Domain;

/// <summary>
/// The measures the scoring code knows how to compute. A <see cref="ScoringModel"/> names them in its
/// <see cref="ScoringModel.Measures"/>; how much each counts, its window and its normalisation are configuration.
/// </summary>
public static class MeasureNames
{
    // Customer outcome: is the customer getting the value it bought?

    /// <summary>Distinct users of a core feature in the window ÷ paid seats.</summary>
    public const string CoreFeatureUsage = "core_feature_usage";

    /// <summary>Distinct features used in the window.</summary>
    public const string FeatureBreadth = "feature_breadth";

    /// <summary>Average distinct active users per working day (Mon–Fri) of the window ÷ paid seats.</summary>
    public const string DailyActiveUsers = "daily_active_users";

    /// <summary>Distinct active users in the window (7 days by default) ÷ paid seats.</summary>
    public const string WeeklyActiveUsers = "weekly_active_users";

    /// <summary>Distinct active users in the window (30 days by default) ÷ paid seats.</summary>
    public const string MonthlyActiveUsers = "monthly_active_users";

    /// <summary>Distinct active users in the window ÷ assigned seats (paid seats when assignment is not reported).</summary>
    public const string SeatActivation = "seat_activation";

    /// <summary>Share of the model's key roles (executive, operator, finance) with activity in the window, 0–1.</summary>
    public const string RoleCoverage = "role_coverage";

    /// <summary>Total quantity of use (content, API calls) in the window ÷ paid seats: the "API index".</summary>
    public const string OutputIndex = "output_index";

    // Customer experience: what it is like to get that value.

    /// <summary>Urgency-weighted share (%) of tickets opened in the window whose first response met the category's SLA.</summary>
    public const string FirstResponseTime = "first_response_time";

    /// <summary>Urgency-weighted share (%) of tickets opened in the window whose resolution met the category's SLA.</summary>
    public const string ResolutionTime = "resolution_time";

    /// <summary>Share (%) of tickets opened and resolved in the window that were reopened.</summary>
    public const string ReopenRate = "reopen_rate";

    /// <summary>Incident (quality complaint) tickets opened in the window.</summary>
    public const string IncidentLoad = "incident_load";

    /// <summary>Net promoter score −100..100 over the latest answer per user in the window.</summary>
    public const string Nps = "nps";

    /// <summary>Average CSAT answer (1–5) in the window.</summary>
    public const string Csat = "csat";

    /// <summary>Average CES answer (1–7, lower effort is better) in the window.</summary>
    public const string Ces = "ces";

    /// <summary>Share of champion, decision maker and executive sponsor currently in place, 0–1 (not windowed).</summary>
    public const string StakeholderPresence = "stakeholder_presence";

    /// <summary>Key stakeholders (champion, decision maker, executive sponsor) who left in the window.</summary>
    public const string StakeholderLoss = "stakeholder_loss";

    /// <summary>Expansion purchases plus referrals in the window.</summary>
    public const string Advocacy = "advocacy";

    /// <summary>Activation index: sum of touch-point feedback sentiment in the window, clamped −25..+25.</summary>
    public const string ActivationFriction = "activation_friction";

    /// <summary>Every measure the code can compute.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        CoreFeatureUsage, FeatureBreadth, DailyActiveUsers, WeeklyActiveUsers, MonthlyActiveUsers, SeatActivation,
        RoleCoverage, OutputIndex, FirstResponseTime, ResolutionTime, ReopenRate, IncidentLoad, Nps, Csat, Ces,
        StakeholderPresence, StakeholderLoss, Advocacy, ActivationFriction,
    ];

    /// <summary>Measures whose value is a current state rather than a count over a trailing window.</summary>
    public static IReadOnlyList<string> Unwindowed { get; } = [StakeholderPresence];
}

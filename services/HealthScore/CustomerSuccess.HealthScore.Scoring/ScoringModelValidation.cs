using CustomerSuccess.Contracts.Events;
using static System.FormattableString;

namespace CustomerSuccess.HealthScore.Domain;

/// <summary>The rules a scoring model must satisfy before it is used or stored as a new version.</summary>
internal static class ScoringModelValidation
{
    private const double Tolerance = 1e-6;

    /// <summary>The key-account outcome share may not exceed this: for key accounts the relationship matters more.</summary>
    public const double MaxKeyAccountOutcomeShare = 0.7;

    public static IReadOnlyList<string> Validate(ScoringModel model)
    {
        var errors = new List<string>();
        void Check(bool ok, FormattableString error)
        {
            if (!ok)
            {
                errors.Add(Invariant(error));
            }
        }

        Check(model.Version >= 1, $"Version must be 1 or more (was {model.Version}).");
        Check(model.CoreFeatures is { Count: > 0 } && model.CoreFeatures.All(f => !string.IsNullOrWhiteSpace(f)),
            $"CoreFeatures must name at least one feature, none blank.");
        Check(model.KeyRoles is { Count: > 0 }, $"KeyRoles must name at least one role.");

        ValidateShares(model, Check);

        Check(model.YellowFrom > 0 && model.YellowFrom < model.GreenFrom && model.GreenFrom <= 100,
            $"Band thresholds must satisfy 0 < YellowFrom < GreenFrom <= 100 (were {model.YellowFrom} and {model.GreenFrom}).");
        Check(model.OutcomeHighFrom is > 0 and <= 100, $"OutcomeHighFrom must be in (0, 100] (was {model.OutcomeHighFrom}).");
        Check(model.ExperienceHighFrom is > 0 and <= 100, $"ExperienceHighFrom must be in (0, 100] (was {model.ExperienceHighFrom}).");
        Check(model.TrendDays >= 1, $"TrendDays must be 1 or more (was {model.TrendDays}).");
        Check(model.TrendThreshold > 0, $"TrendThreshold must be positive (was {model.TrendThreshold}).");
        Check(model.SteepDeclineThreshold >= model.TrendThreshold,
            $"SteepDeclineThreshold must be at least TrendThreshold (was {model.SteepDeclineThreshold}).");
        Check(model.PublishMargin > 0, $"PublishMargin must be positive (was {model.PublishMargin}).");
        Check(model.NoOutcomeDataScore is >= 0 and <= 100, $"NoOutcomeDataScore must be within 0–100 (was {model.NoOutcomeDataScore}).");
        Check(model.NoExperienceDataScore is >= 0 and <= 100,
            $"NoExperienceDataScore must be within 0–100 (was {model.NoExperienceDataScore}).");

        ValidateServiceLevels(model, Check);
        ValidateMeasures(model, Check);
        return errors;
    }

    private static void ValidateShares(ScoringModel model, Action<bool, FormattableString> check)
    {
        var shares = model.GroupShares ?? [];
        foreach (var tier in Enum.GetValues<CustomerTier>())
        {
            var forTier = shares.Where(s => s.Tier == tier).ToList();
            check(forTier.Count == 1, $"GroupShares must have exactly one entry for tier {tier} (has {forTier.Count}).");
            foreach (var share in forTier)
            {
                check(share.Outcome >= 0 && share.Experience >= 0,
                    $"GroupShares for {tier} must not be negative (were {share.Outcome} and {share.Experience}).");
                check(Math.Abs(share.Outcome + share.Experience - 1) < Tolerance,
                    $"GroupShares for {tier} must sum to 1 (outcome {share.Outcome} + experience {share.Experience}).");
                if (tier == CustomerTier.KeyAccount)
                {
                    check(share.Outcome <= MaxKeyAccountOutcomeShare + Tolerance,
                        $"The key-account outcome share must be at most {MaxKeyAccountOutcomeShare} (was {share.Outcome}).");
                }
            }
        }
    }

    private static void ValidateServiceLevels(ScoringModel model, Action<bool, FormattableString> check)
    {
        var levels = model.ServiceLevels ?? [];
        foreach (var category in Enum.GetValues<TicketCategory>())
        {
            var count = levels.Count(l => l.Category == category);
            check(count == 1, $"ServiceLevels must have exactly one entry for {category} (has {count}).");
        }

        foreach (var level in levels)
        {
            check(level.FirstResponseHours > 0 && level.ResolutionHours >= level.FirstResponseHours,
                $"ServiceLevels for {level.Category}: first response must be positive and resolution no shorter than it.");
            check(level.UrgencyWeight >= 0, $"ServiceLevels for {level.Category}: UrgencyWeight must not be negative.");
        }

        // Urgency order: incident (outage) > operational question > feature request.
        var byCategory = levels.GroupBy(l => l.Category).ToDictionary(g => g.Key, g => g.First());
        if (byCategory.TryGetValue(TicketCategory.Incident, out var incident)
            && byCategory.TryGetValue(TicketCategory.Operational, out var operational)
            && byCategory.TryGetValue(TicketCategory.Request, out var request))
        {
            check(incident.FirstResponseHours <= operational.FirstResponseHours
                  && operational.FirstResponseHours <= request.FirstResponseHours
                  && incident.ResolutionHours <= operational.ResolutionHours
                  && operational.ResolutionHours <= request.ResolutionHours,
                $"ServiceLevels must be tightest for incidents, then operational questions, then requests.");
        }
    }

    private static void ValidateMeasures(ScoringModel model, Action<bool, FormattableString> check)
    {
        var measures = model.Measures ?? [];
        check(measures.Count > 0, $"Measures must not be empty.");
        foreach (var duplicate in measures.GroupBy(m => m.Name).Where(g => g.Count() > 1))
        {
            check(false, $"Measure {duplicate.Key} is defined more than once.");
        }

        foreach (var measure in measures)
        {
            var name = measure.Name;
            check(MeasureNames.All.Contains(name), $"Measure {name} is unknown; known measures: {string.Join(", ", MeasureNames.All)}.");
            check(Enum.IsDefined(measure.Group), $"Measure {name} has an unknown group.");
            var minWindow = MeasureNames.Unwindowed.Contains(name) ? 0 : 1;
            check(measure.WindowDays >= minWindow, $"Measure {name}: WindowDays must be at least {minWindow} (was {measure.WindowDays}).");
            check(measure.WindowDays <= model.RetentionDays - model.TrendDays,
                $"Measure {name}: window {measure.WindowDays} days plus the {model.TrendDays}-day trend exceeds the {model.RetentionDays}-day retention.");
            check(double.IsFinite(measure.Floor) && double.IsFinite(measure.Target) && Math.Abs(measure.Floor - measure.Target) > Tolerance,
                $"Measure {name}: Floor and Target must be finite and different (were {measure.Floor} and {measure.Target}).");
            check(measure.Weight >= 0 && double.IsFinite(measure.Weight), $"Measure {name}: Weight must not be negative (was {measure.Weight}).");
            foreach (var (stage, weight) in measure.StageWeights ?? new Dictionary<LifecycleStage, double>())
            {
                check(weight >= 0 && double.IsFinite(weight), $"Measure {name}: weight for {stage} must not be negative (was {weight}).");
            }
        }

        foreach (var group in Enum.GetValues<MeasureGroup>())
        {
            foreach (var stage in Enum.GetValues<LifecycleStage>())
            {
                var sum = measures.Where(m => m.Group == group).Sum(m => m.WeightFor(stage));
                check(Math.Abs(sum - 1) < 1e-3, $"{group} measure weights for stage {stage} must sum to 1 (sum to {sum:0.###}).");
            }
        }
    }
}

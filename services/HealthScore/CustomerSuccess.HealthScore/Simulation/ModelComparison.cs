using CustomerSuccess.Contracts.Http;
using CustomerSuccess.HealthScore.Domain;

namespace CustomerSuccess.HealthScore.Simulation;

/// <summary>Compares a candidate scoring model with the current one over the same facts, for a simulation.</summary>
public static class ModelComparison
{
    /// <summary>One customer's result under both models.</summary>
    public static CustomerSimulation Compare(string customerId, HealthResult current, HealthResult candidate)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(candidate);
        return new CustomerSimulation(
            customerId,
            Headline(current),
            Headline(candidate),
            Math.Round(candidate.Score - current.Score, 1, MidpointRounding.AwayFromZero),
            candidate.Band != current.Band,
            candidate.Quadrant != current.Quadrant);
    }

    /// <summary>How many customers change band or quadrant, and how far scores move on average.</summary>
    public static SimulationSummary Summarize(IReadOnlyList<CustomerSimulation> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var transitions = customers
            .Where(c => c.BandChanged)
            .GroupBy(c => (From: c.Current.Band, To: c.Candidate.Band))
            .OrderBy(g => g.Key.From).ThenBy(g => g.Key.To)
            .Select(g => new BandTransition(g.Key.From, g.Key.To, g.Count()))
            .ToList();
        return new SimulationSummary(
            customers.Count,
            customers.Count(c => c.BandChanged),
            customers.Count(c => c.QuadrantChanged),
            customers.Count > 0 ? Round(customers.Average(c => c.Candidate.Score - c.Current.Score)) : 0,
            customers.Count > 0 ? Round(customers.Average(c => Math.Abs(c.Candidate.Score - c.Current.Score))) : 0,
            transitions);
    }

    private static SimulatedHealth Headline(HealthResult result) =>
        new(result.Score, result.Outcome, result.Experience, result.Band, result.Quadrant, result.ModelVersion);

    private static double Round(double value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);
}

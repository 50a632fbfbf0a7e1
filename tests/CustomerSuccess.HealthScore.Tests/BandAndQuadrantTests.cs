using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Domain;

namespace CustomerSuccess.HealthScore.Tests;

/// <summary>Green / yellow / red, the outcome × experience quadrants, and the Q2 rule.</summary>
public class BandAndQuadrantTests
{
    [Theory]
    [InlineData(100, HealthBand.Green)]
    [InlineData(70, HealthBand.Green)]
    [InlineData(69.9, HealthBand.Yellow)]
    [InlineData(40, HealthBand.Yellow)]
    [InlineData(39.9, HealthBand.Red)]
    [InlineData(0, HealthBand.Red)]
    public void Default_bands_are_green_from_70_yellow_from_40_red_below(double score, HealthBand band) =>
        Assert.Equal(band, HealthEvaluation.BandOf(score, ScoringModel.Default));

    [Theory]
    [InlineData(60, 60, Quadrant.Q1)]
    [InlineData(59.9, 60, Quadrant.Q2)]
    [InlineData(60, 59.9, Quadrant.Q3)]
    [InlineData(10, 10, Quadrant.Q4)]
    public void Quadrants_split_outcome_and_experience_at_60(double outcome, double experience, Quadrant quadrant) =>
        Assert.Equal(quadrant, HealthEvaluation.QuadrantOf(outcome, experience, ScoringModel.Default));

    [Fact]
    public void Band_thresholds_are_configuration()
    {
        var strict = ScoringModel.Default with { GreenFrom = 99.5, YellowFrom = 90 };

        var health = new CustomerHistory().WithSeats().HeavyUse().GoodService().Health(model: strict);

        Assert.Equal(HealthBand.Yellow, health.Band);
    }

    [Fact]
    public void Satisfied_but_unsuccessful_customer_is_never_green()
    {
        // A demanding outcome bar makes this strong customer "unsuccessful" while its score is far above green.
        var demanding = ScoringModel.Default with { OutcomeHighFrom = 99.5 };

        var health = new CustomerHistory().WithSeats().HeavyUse().GoodService().Health(model: demanding);

        Assert.Equal(Quadrant.Q2, health.Quadrant);
        Assert.True(health.Score >= demanding.GreenFrom, $"score {health.Score}");
        Assert.Equal(HealthBand.Yellow, health.Band);
        Assert.Contains(health.Notes, n => n.Contains("satisfied but unsuccessful (Q2)", StringComparison.Ordinal));
        Assert.StartsWith("satisfied but unsuccessful", health.TopReasons()[0], StringComparison.Ordinal);
    }

    [Fact]
    public void The_Q2_rule_holds_the_band_but_keeps_the_honest_score()
    {
        var demanding = ScoringModel.Default with { OutcomeHighFrom = 99.5 };
        var history = new CustomerHistory().WithSeats().HeavyUse().GoodService();

        Assert.Equal(history.Health().Score, history.Health(model: demanding).Score);
    }

    [Fact]
    public void No_customer_in_a_varied_population_is_green_in_Q2_whatever_its_tier()
    {
        var models = new[] { ScoringModel.Default, ScoringModel.Default with { OutcomeHighFrom = 85 } };
        var q2AboveGreen = 0;
        for (var seed = 0; seed < 80; seed++)
        {
            var random = new Random(seed);
            var history = RandomCustomer(random);
            var tier = (CustomerTier)random.Next(3);
            foreach (var model in models)
            {
                var health = history.Health(tier: tier, model: model);
                if (health.Quadrant == Quadrant.Q2)
                {
                    Assert.NotEqual(HealthBand.Green, health.Band);
                    q2AboveGreen += health.Score >= model.GreenFrom ? 1 : 0;
                }
            }
        }

        Assert.True(q2AboveGreen > 0, "the population should include Q2 customers scoring above the green threshold");
    }

    [Fact]
    public void Both_halves_high_is_loyal_and_both_low_is_failing()
    {
        Assert.Equal(Quadrant.Q1, new CustomerHistory().WithSeats().HeavyUse().GoodService().Health().Quadrant);
        Assert.Equal(Quadrant.Q4, new CustomerHistory().WithSeats().BadService().Health().Quadrant);
    }

    private static CustomerHistory RandomCustomer(Random random)
    {
        string[] features = ["message.sent", "search.used", "report.exported", "dashboard.viewed", "invoice.exported", "contact.updated"];
        UserRole[] roles = [UserRole.Operator, UserRole.Executive, UserRole.Finance];
        var history = new CustomerHistory($"c{random.Next()}").WithSeats(paid: random.Next(5, 50));
        var users = random.Next(0, 40);
        var activity = random.NextDouble();
        var breadth = random.Next(1, features.Length + 1);
        for (var daysAgo = 1; daysAgo <= 35; daysAgo++)
        {
            for (var u = 0; u < users; u++)
            {
                if (random.NextDouble() < activity)
                {
                    history.Use($"u{u}", roles[u % roles.Length], features[random.Next(breadth)], daysAgo, quantity: random.Next(1, 6));
                }
            }
        }

        switch (random.Next(3))
        {
            case 0: history.GoodService(); break;
            case 1: history.BadService(); break;
            default: break;
        }

        return history;
    }
}

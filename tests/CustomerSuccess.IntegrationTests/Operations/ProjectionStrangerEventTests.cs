using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Scoring;
using CustomerSuccess.Lifecycle.Stages;
using CustomerSuccess.Renewal.Renewals;
using JasperFx.Events;

namespace CustomerSuccess.IntegrationTests.Operations;

/// <summary>
/// Marten fills the event sequence where an append failed with tombstone events in a stream of their own; a projection
/// rebuild replays them. The services' explicit projections must not make a document out of such a stranger.
/// </summary>
public sealed class ProjectionStrangerEventTests
{
    private sealed record NotACustomerEvent(string Note);

    private static IEvent Stranger() => new Event<NotACustomerEvent>(new NotACustomerEvent("filler")) { StreamKey = "mt_tombstone" };

    private static IEvent Signed() => new Event<ContractSigned>(new ContractSigned
    {
        EventId = "e-1", CustomerId = "acme", OccurredAt = DateTimeOffset.Parse("2026-01-01T00:00:00Z"), ReceivedAt = DateTimeOffset.Parse("2026-01-01T00:00:00Z"),
        ContractId = "c-1", Arr = 1000m, Currency = "EUR", Seats = 10, StartsOn = new DateOnly(2026, 1, 1), EndsOn = new DateOnly(2027, 1, 1),
    }) { StreamKey = "acme" };

    [Fact]
    public void A_stranger_event_makes_no_healthscore_rollup()
    {
        var projection = new CustomerFactsProjection();
        Assert.Null(projection.Evolve(null, "mt_tombstone", Stranger()));
        Assert.NotNull(projection.Evolve(null, "acme", Signed()));
    }

    [Fact]
    public void A_stranger_event_makes_no_lifecycle_history()
    {
        var projection = new LifecycleHistoryProjection();
        Assert.Null(projection.Evolve(null, "mt_tombstone", Stranger()));
        Assert.NotNull(projection.Evolve(null, "acme", Signed()));
    }

    [Fact]
    public void A_stranger_event_makes_no_renewal_document()
    {
        var projection = new CustomerRenewalProjection();
        Assert.Null(projection.Evolve(null, "mt_tombstone", Stranger()));
        Assert.NotNull(projection.Evolve(null, "acme", Signed()));
    }
}

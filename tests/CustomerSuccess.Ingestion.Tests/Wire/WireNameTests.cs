using CustomerSuccess.Contracts;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Messaging;
using MassTransit;

namespace CustomerSuccess.Ingestion.Tests.Wire;

public sealed class WireNameTests
{
    [Fact]
    public void The_ingested_events_urn_and_exchange_are_the_names_MassTransit_gives_the_message()
    {
        Assert.Equal(MessageUrn.ForTypeString<CustomerEventsIngested>(), MessageNames.CustomerEventsIngestedUrn);
        Assert.Equal("urn:message:" + MessageNames.CustomerEventsIngestedExchange, MessageNames.CustomerEventsIngestedUrn);
    }

    [Fact]
    public void Every_ingested_events_queue_is_a_consumer_queue()
    {
        Assert.Subset(QueueNames.All.ToHashSet(), QueueNames.IngestedEventsByService.Values.ToHashSet());
        Assert.Equal(QueueNames.All.Count, QueueNames.All.Distinct().Count());
    }

    [Fact]
    public void A_value_is_written_with_its_json_name()
    {
        Assert.Equal("incident", WireName.Of(TicketCategory.Incident));
        Assert.Equal("high_potential", WireName.Of(CustomerTier.HighPotential));
        Assert.Equal(["standard", "high_potential", "key_account"], WireName.All<CustomerTier>());
    }

    [Fact]
    public void Wire_names_match_exactly_as_written()
    {
        Assert.True(WireName.TryParse<CustomerTier>("key_account", out var tier));
        Assert.Equal(CustomerTier.KeyAccount, tier);
        Assert.False(WireName.TryParse<CustomerTier>("Key_Account", out _));
        Assert.False(WireName.TryParse<CustomerTier>("KeyAccount", out _));
        Assert.False(WireName.TryParse<CustomerTier>("2", out _));
    }
}

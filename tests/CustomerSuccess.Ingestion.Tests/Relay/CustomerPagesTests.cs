using CustomerSuccess.Ingestion.Relay;

namespace CustomerSuccess.Ingestion.Tests.Relay;

public sealed class CustomerPagesTests
{
    private sealed record Event(string Customer, int Position);

    [Fact]
    public void Each_customer_of_a_page_travels_in_one_message_in_log_order_however_its_events_interleave()
    {
        var page = Enumerable.Range(0, 12).Select(i => new Event($"c{i % 3}", i)).ToList();

        var messages = CustomerPages.Pack(page, e => e.Customer, maxPerMessage: 8).ToList();

        Assert.Equal(2, messages.Count);
        Assert.Equal([0, 3, 6, 9, 1, 4, 7, 10], messages[0].Select(e => e.Position));
        Assert.Equal([2, 5, 8, 11], messages[1].Select(e => e.Position));
    }

    [Fact]
    public void Only_a_customer_with_more_events_than_the_bound_is_split_into_consecutive_messages()
    {
        var page = Enumerable.Range(0, 7).Select(i => new Event("big", i)).Append(new Event("small", 7)).ToList();

        var messages = CustomerPages.Pack(page, e => e.Customer, maxPerMessage: 3).ToList();

        Assert.Equal([[0, 1, 2], [3, 4, 5], [6, 7]], messages.Select(m => m.Select(e => e.Position).ToArray()));
    }

    [Fact]
    public void Every_event_of_the_page_is_in_exactly_one_message_and_none_exceeds_the_bound()
    {
        var random = new Random(7);
        var page = Enumerable.Range(0, 5000).Select(i => new Event($"c{random.Next(300)}", i)).ToList();

        var messages = CustomerPages.Pack(page, e => e.Customer, maxPerMessage: 1000).ToList();

        Assert.All(messages, m => Assert.InRange(m.Count, 1, 1000));
        Assert.Equal(page.Select(e => e.Position).Order(), messages.SelectMany(m => m).Select(e => e.Position).Order());
        Assert.All(page.GroupBy(e => e.Customer), c => Assert.Single(messages, m => m.Any(e => e.Customer == c.Key)));
    }

    [Fact]
    public void An_empty_page_gives_no_message()
    {
        Assert.Empty(CustomerPages.Pack(Array.Empty<Event>(), e => e.Customer, 10));
    }
}

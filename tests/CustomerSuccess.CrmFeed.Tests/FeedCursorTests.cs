using CustomerSuccess.CrmFeed.Feed;

namespace CustomerSuccess.CrmFeed.Tests;

public sealed class FeedCursorTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(9_007_199_254_740_993L)]
    public void A_cursor_stands_for_its_position(long position) => Assert.Equal(position, FeedCursor.Decode(FeedCursor.Encode(position)));

    [Fact]
    public void No_cursor_is_the_start_of_the_feed()
    {
        Assert.Equal(0, FeedCursor.Decode(null));
        Assert.Equal(0, FeedCursor.Decode(""));
    }

    [Theory]
    [InlineData("42")]
    [InlineData("!!!")]
    [InlineData("cDE6LTE")] // p1:-1
    public void Anything_else_is_not_a_cursor(string cursor) => Assert.Null(FeedCursor.Decode(cursor));
}

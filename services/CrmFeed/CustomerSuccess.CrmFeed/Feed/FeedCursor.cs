using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace CustomerSuccess.CrmFeed.Feed;

/// <summary>
/// The pull feed's opaque cursor: where a reader is in the feed. Clients store and send it back, never build it; its
/// form may change (a version prefix keeps old cursors readable).
/// </summary>
public static class FeedCursor
{
    private const string Prefix = "p1:";

    public static string Encode(long position) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(Prefix + position.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The position a cursor stands for; absent or empty is the start of the feed; null when it is not a cursor.</summary>
    public static long? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return 0;
        }

        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith(Prefix, StringComparison.Ordinal)
                   && long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var position)
                ? position
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

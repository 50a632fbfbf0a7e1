using System.Net;
using System.Net.Sockets;

namespace CustomerSuccess.CrmFeed.Deliveries;

/// <summary>
/// Which receiver URLs a webhook may have. Checked at registration on the URL, and again on every connection on the
/// resolved addresses (<see cref="IsAllowed(IPAddress)"/>), so a host name that later resolves to a private address
/// cannot turn webhooks into a way to reach the internal network.
/// </summary>
/// <param name="AllowedHosts">When not empty, the only hosts allowed: exact names, or <c>*.example.com</c> for sub-domains.</param>
/// <param name="DeniedHosts">Hosts never allowed, same forms.</param>
/// <param name="BlockPrivateRanges">Refuse loopback, private, link-local, shared (CGNAT), unspecified and multicast addresses.</param>
/// <param name="AllowLoopback">Allow loopback despite <paramref name="BlockPrivateRanges"/> (local development and tests).</param>
public sealed record ReceiverUrlPolicy(
    IReadOnlyList<string> AllowedHosts, IReadOnlyList<string> DeniedHosts, bool BlockPrivateRanges, bool AllowLoopback)
{
    public const int MaxUrlLength = 2048;

    /// <summary>Why <paramref name="url"/> may not receive webhooks, or null when it may.</summary>
    public string? Problem(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return $"url must be an absolute http or https URL of at most {MaxUrlLength} characters.";
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return "url must use http or https.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "url must not carry credentials.";
        }

        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (DeniedHosts.Any(pattern => Matches(pattern, host)))
        {
            return $"The host '{host}' is on the deny list.";
        }

        if (AllowedHosts.Count > 0 && !AllowedHosts.Any(pattern => Matches(pattern, host)))
        {
            return $"The host '{host}' is not on the allow list.";
        }

        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address))
        {
            return IsAllowed(address) ? null : $"The address {address} is in a private or reserved range.";
        }

        if (BlockPrivateRanges && !AllowLoopback && (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal)))
        {
            return "url must not point to localhost.";
        }

        return null;
    }

    /// <summary>Whether a resolved address may be connected to.</summary>
    public bool IsAllowed(IPAddress address)
    {
        if (!BlockPrivateRanges)
        {
            return true;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return AllowLoopback;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            var unspecified = address.Equals(IPAddress.IPv6None);
            var uniqueLocal = (bytes[0] & 0xFE) == 0xFC;
            return !(unspecified || uniqueLocal || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast);
        }

        var b = address.GetAddressBytes();
        var reserved = b[0] == 0 // "this network"
            || b[0] == 10
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) // shared address space (CGNAT)
            || (b[0] == 169 && b[1] == 254) // link-local, cloud metadata endpoints
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 192 && b[1] == 0 && b[2] == 0)
            || (b[0] == 198 && (b[1] == 18 || b[1] == 19)) // benchmarking
            || b[0] >= 224; // multicast and reserved
        return !reserved;
    }

    private static bool Matches(string pattern, string host)
    {
        var p = pattern.Trim().TrimEnd('.').ToLowerInvariant();
        return p.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(p[1..], StringComparison.Ordinal)
            : host == p;
    }
}

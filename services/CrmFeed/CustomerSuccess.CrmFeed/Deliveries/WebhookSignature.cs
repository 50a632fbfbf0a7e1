using System.Security.Cryptography;
using System.Text;

namespace CustomerSuccess.CrmFeed.Deliveries;

/// <summary>
/// Standard Webhooks signatures: <c>v1,&lt;base64 HMAC-SHA256 over "id.timestamp.body"&gt;</c>, the key being the
/// base64-decoded part of the secret after <c>whsec_</c>. Several signatures (secret rotation) are space-separated.
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>How far a receiver lets the timestamp differ from its clock (replay protection).</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>A new secret: <c>whsec_</c> and the base64 of 32 bytes from the system CSPRNG.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static byte[] Key(string secret)
    {
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        return Convert.FromBase64String(encoded);
    }

    public static string Sign(string secret, string id, long timestamp, ReadOnlySpan<byte> body) =>
        "v1," + Convert.ToBase64String(Hmac(Key(secret), id, timestamp, body));

    /// <summary>The header value for every live secret (two while a rotation's overlap lasts).</summary>
    public static string Header(IEnumerable<string> secrets, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var signatures = new List<string>();
        foreach (var secret in secrets)
        {
            signatures.Add(Sign(secret, id, timestamp, body));
        }

        return string.Join(' ', signatures);
    }

    /// <summary>What a receiver does: a timestamp within <see cref="Tolerance"/> of <paramref name="now"/> and one matching v1 signature.</summary>
    public static bool Verify(string secret, string id, string timestamp, string signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance)
        {
            return false;
        }

        var expected = Hmac(Key(secret), id, seconds, body);
        foreach (var candidate in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = candidate.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || candidate[..comma] != "v1")
            {
                continue;
            }

            var presented = new byte[expected.Length + 3];
            if (Convert.TryFromBase64String(candidate[(comma + 1)..], presented, out var written)
                && CryptographicOperations.FixedTimeEquals(presented.AsSpan(0, written), expected))
            {
                return true;
            }
        }

        return false;
    }

    private static byte[] Hmac(byte[] key, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(FormattableString.Invariant($"{id}.{timestamp}."));
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return HMACSHA256.HashData(key, content);
    }
}

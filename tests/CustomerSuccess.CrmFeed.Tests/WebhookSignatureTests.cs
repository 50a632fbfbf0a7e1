using System.Text;
using CustomerSuccess.CrmFeed.Deliveries;

namespace CustomerSuccess.CrmFeed.Tests;

public sealed class WebhookSignatureTests
{
    // The Standard Webhooks reference library's test vector.
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long Timestamp = 1614265330;
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"test": 2432232314}""");
    private static readonly DateTimeOffset SentAt = DateTimeOffset.FromUnixTimeSeconds(Timestamp);

    [Fact]
    public void Signs_the_standard_webhooks_test_vector()
    {
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookSignature.Sign(Secret, Id, Timestamp, Body));
    }

    [Fact]
    public void A_receiver_accepts_the_signature_within_the_tolerance()
    {
        var header = WebhookSignature.Header([Secret], Id, Timestamp, Body);

        Assert.True(WebhookSignature.Verify(Secret, Id, "1614265330", header, Body, SentAt.AddMinutes(4)));
    }

    [Fact]
    public void Tampered_body_stale_timestamp_and_wrong_secret_fail()
    {
        var header = WebhookSignature.Header([Secret], Id, Timestamp, Body);

        Assert.False(WebhookSignature.Verify(Secret, Id, "1614265330", header, Encoding.UTF8.GetBytes("""{"test": 2432232315}"""), SentAt));
        Assert.False(WebhookSignature.Verify(Secret, Id, "1614265330", header, Body, SentAt.AddMinutes(6)));
        Assert.False(WebhookSignature.Verify(WebhookSignature.NewSecret(), Id, "1614265330", header, Body, SentAt));
        Assert.False(WebhookSignature.Verify(Secret, "msg_other", "1614265330", header, Body, SentAt));
    }

    [Fact]
    public void During_a_rotation_both_secrets_sign_and_either_verifies()
    {
        var next = WebhookSignature.NewSecret();

        var header = WebhookSignature.Header([next, Secret], Id, Timestamp, Body);

        Assert.Equal(2, header.Split(' ').Length);
        Assert.True(WebhookSignature.Verify(Secret, Id, "1614265330", header, Body, SentAt));
        Assert.True(WebhookSignature.Verify(next, Id, "1614265330", header, Body, SentAt));
    }

    [Fact]
    public void New_secrets_are_whsec_prefixed_32_random_bytes()
    {
        var first = WebhookSignature.NewSecret();
        var second = WebhookSignature.NewSecret();

        Assert.StartsWith("whsec_", first, StringComparison.Ordinal);
        Assert.Equal(32, WebhookSignature.Key(first).Length);
        Assert.NotEqual(first, second);
    }
}

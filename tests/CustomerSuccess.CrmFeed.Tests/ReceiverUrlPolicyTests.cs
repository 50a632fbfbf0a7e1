using System.Net;
using CustomerSuccess.CrmFeed.Deliveries;

namespace CustomerSuccess.CrmFeed.Tests;

public sealed class ReceiverUrlPolicyTests
{
    private static readonly ReceiverUrlPolicy Default = new CrmFeedOptions().UrlPolicy();

    [Theory]
    [InlineData("https://crm.example.com/hooks")]
    [InlineData("http://93.184.216.34:8080/in")]
    public void Public_http_and_https_receivers_are_allowed(string url) => Assert.Null(Default.Problem(url));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("crm.example.com/hooks")]
    [InlineData("ftp://crm.example.com/hooks")]
    [InlineData("file:///etc/passwd")]
    [InlineData("https://user:pass@crm.example.com/hooks")]
    [InlineData("http://127.0.0.1:9000/")]
    [InlineData("http://localhost:9000/")]
    [InlineData("http://10.1.2.3/")]
    [InlineData("http://172.20.0.5/")]
    [InlineData("http://192.168.1.10/")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://100.64.0.1/")]
    [InlineData("http://0.0.0.0/")]
    [InlineData("http://[::1]/")]
    [InlineData("http://[fd00::1]/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://[::ffff:10.0.0.1]/")]
    public void Other_schemes_credentials_and_private_ranges_are_refused(string? url) => Assert.NotNull(Default.Problem(url));

    [Fact]
    public void Loopback_is_allowed_only_when_configured()
    {
        var local = new CrmFeedOptions { AllowLoopback = true }.UrlPolicy();

        Assert.Null(local.Problem("http://127.0.0.1:9000/hooks"));
        Assert.Null(local.Problem("http://localhost:9000/hooks"));
        Assert.NotNull(local.Problem("http://10.0.0.1/hooks"));
        Assert.True(local.IsAllowed(IPAddress.Loopback));
        Assert.False(Default.IsAllowed(IPAddress.Loopback));
    }

    [Fact]
    public void Allow_list_admits_only_its_hosts_and_sub_domains()
    {
        var policy = new CrmFeedOptions { AllowedHosts = ["crm.example.com", "*.hubs.example.org"] }.UrlPolicy();

        Assert.Null(policy.Problem("https://crm.example.com/a"));
        Assert.Null(policy.Problem("https://eu.hubs.example.org/a"));
        Assert.NotNull(policy.Problem("https://hubs.example.org.evil.test/a"));
        Assert.NotNull(policy.Problem("https://other.example.com/a"));
    }

    [Fact]
    public void Deny_list_wins()
    {
        var policy = new CrmFeedOptions { AllowedHosts = ["*.example.com"], DeniedHosts = ["legacy.example.com"] }.UrlPolicy();

        Assert.NotNull(policy.Problem("https://legacy.example.com/a"));
        Assert.Null(policy.Problem("https://crm.example.com/a"));
    }

    [Fact]
    public void Resolved_addresses_are_checked_like_literals()
    {
        Assert.False(Default.IsAllowed(IPAddress.Parse("10.0.0.7")));
        Assert.False(Default.IsAllowed(IPAddress.Parse("::ffff:192.168.0.1")));
        Assert.True(Default.IsAllowed(IPAddress.Parse("93.184.216.34")));
        Assert.True(new CrmFeedOptions { BlockPrivateRanges = false }.UrlPolicy().IsAllowed(IPAddress.Parse("10.0.0.7")));
    }
}

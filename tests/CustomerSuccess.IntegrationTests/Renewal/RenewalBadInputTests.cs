using System.Net;
using CustomerSuccess.IntegrationTests.Infrastructure;

namespace CustomerSuccess.IntegrationTests.Renewal;

/// <summary>Bad query parameters are answered 400 problem+json naming the parameter, never a 500.</summary>
[Collection(RenewalPlatformCollection.Name)]
public sealed class RenewalBadInputTests(RenewalPlatform platform)
{
    private readonly HttpClient _renewal = Platform.Client(platform.Renewal, Platform.ReadKey);

    [Theory]
    [InlineData("/v1/portfolio/metrics?from=yesterday&to=2026-01-01", "from")]
    [InlineData("/v1/portfolio/metrics?from=2026-01-01&to=2026-01-01", "to")]
    [InlineData("/v1/portfolio/metrics?from=2026-02-01&to=2026-01-01", "to")]
    [InlineData("/v1/portfolio/metrics?to=2026-01-01", "from")]
    [InlineData("/v1/portfolio/metrics?from=2026-01-01&to=2026-13-01", "to")]
    [InlineData("/v1/renewals?risk=extreme", "risk")]
    [InlineData("/v1/renewals?risk=HIGH", "risk")]
    [InlineData("/v1/renewals?tier=gold", "tier")]
    [InlineData("/v1/renewals?limit=0", "limit")]
    [InlineData("/v1/renewals?limit=100000", "limit")]
    [InlineData("/v1/renewals?dueWithinDays=-1", "dueWithinDays")]
    [InlineData("/v1/renewals?dueWithinDays=soon", "dueWithinDays")]
    [InlineData("/v1/renewals?after=not-a-cursor", "after")]
    [InlineData("/v1/customers/anyone/renewal?healthDetail=maybe", "healthDetail")]
    public async Task A_bad_query_parameter_is_a_400_problem_naming_it(string url, string parameter)
    {
        var response = await _renewal.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"{parameter}\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_customer_is_a_404_problem()
    {
        var response = await _renewal.GetAsync($"/v1/customers/{Envelopes.NewCustomerId("nobody")}/renewal");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

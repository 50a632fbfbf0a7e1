using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.IntegrationTests.HealthScore;
using CustomerSuccess.IntegrationTests.Infrastructure;

namespace CustomerSuccess.IntegrationTests.Lifecycle;

/// <summary>Bad pins and bad queries are refused with problem+json naming the field, and nothing is applied.</summary>
[Collection(PlatformCollection.Name)]
public sealed class LifecycleBadInputTests(Platform platform)
{
    private readonly HttpClient _ingestion = Platform.Client(platform.Ingestion, Platform.IngestKey);
    private readonly HttpClient _lifecycle = Platform.Client(platform.Lifecycle, Platform.ReadKey);
    private readonly HttpClient _admin = Platform.Client(platform.Lifecycle, Platform.AdminKey);

    [Theory]
    [InlineData("{\"tier\":\"high_potential\"}", "reason")]
    [InlineData("{\"tier\":\"high_potential\",\"reason\":\"   \"}", "reason")]
    [InlineData("{\"tier\":\"high_potential\",\"reason\":42}", "reason")]
    [InlineData("{\"reason\":\"fast grower\"}", "tier")]
    [InlineData("{\"tier\":\"gold\",\"reason\":\"fast grower\"}", "tier")]
    [InlineData("{\"tier\":\"2\",\"reason\":\"fast grower\"}", "tier")]
    [InlineData("{\"tier\":\"high_potential\",", "body")]
    [InlineData("[\"high_potential\"]", "body")]
    [InlineData("", "body")]
    public async Task A_bad_pin_body_is_a_400_naming_the_field_and_nothing_is_applied(string body, string field)
    {
        var customerId = await StartedCustomerAsync();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await _admin.PutAsync($"/v1/customers/{customerId}/tier", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"errors name '{field}': {problem.RootElement}");
        var lifecycle = (await _lifecycle.LifecycleAsync(customerId))!;
        Assert.False(lifecycle.TierPinned);
        Assert.Single(lifecycle.TierHistory);
    }

    [Fact]
    public async Task A_read_key_gets_403_on_a_pin_and_an_unpin_and_no_key_401()
    {
        var customerId = await StartedCustomerAsync();
        var pin = new { tier = "key_account", reason = "strategic" };
        using var anonymous = Platform.Client(platform.Lifecycle, apiKey: null);

        Assert.Equal(HttpStatusCode.Forbidden, (await _lifecycle.PutAsJsonAsync($"/v1/customers/{customerId}/tier", pin)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _lifecycle.DeleteAsync($"/v1/customers/{customerId}/tier")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsJsonAsync($"/v1/customers/{customerId}/tier", pin)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/v1/customers/{customerId}/lifecycle")).StatusCode);
        Assert.False((await _lifecycle.LifecycleAsync(customerId))!.TierPinned);
    }

    [Fact]
    public async Task Pinning_an_unknown_customer_is_a_404()
    {
        using var response = await _admin.PutAsJsonAsync($"/v1/customers/{Envelopes.NewCustomerId("nobody")}/tier", new { tier = "key_account", reason = "x" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await _lifecycle.GetAsync($"/v1/customers/{Envelopes.NewCustomerId("nobody")}/lifecycle")).StatusCode);
    }

    [Theory]
    [InlineData("/v1/lifecycle?stage=dormant", "stage")]
    [InlineData("/v1/lifecycle?tier=gold", "tier")]
    [InlineData("/v1/lifecycle?overdue=yes", "overdue")]
    [InlineData("/v1/lifecycle?limit=0", "limit")]
    [InlineData("/v1/lifecycle?limit=1001", "limit")]
    [InlineData("/v1/lifecycle?limit=ten", "limit")]
    [InlineData("/v1/lifecycle?after=%25%25%25", "after")]
    [InlineData("/v1/lifecycle/metrics?from=2026-11-01&to=2026-10-01", "from")]
    [InlineData("/v1/lifecycle/metrics?from=yesterday", "from")]
    [InlineData("/v1/lifecycle/metrics?to=soon", "to")]
    public async Task A_bad_query_parameter_is_a_400_naming_it(string url, string field)
    {
        using var response = await _lifecycle.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"errors name '{field}': {problem.RootElement}");
    }

    private async Task<string> StartedCustomerAsync()
    {
        var customer = new CustomerTimeline(Envelopes.NewCustomerId("pin-input"), DateTimeOffset.UtcNow);
        await customer.ContractSigned("c-1", daysAgo: 5).PostAsync(_ingestion);
        await _lifecycle.WaitForLifecycleAsync(customer.CustomerId, l => l.Stage == LifecycleStage.Onboarding, "onboarding");
        return customer.CustomerId;
    }
}

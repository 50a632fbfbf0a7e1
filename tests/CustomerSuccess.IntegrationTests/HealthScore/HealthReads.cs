using System.Globalization;
using System.Net.Http.Json;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.IntegrationTests.Infrastructure;

namespace CustomerSuccess.IntegrationTests.HealthScore;

/// <summary>Reads of the HealthScore API that the tests share.</summary>
internal static class HealthReads
{
    public static string Instant(DateTimeOffset instant) => Uri.EscapeDataString(instant.ToString("O", CultureInfo.InvariantCulture));

    public static Task<CustomerHealthResponse?> HealthAsync(this HttpClient healthScore, string customerId, DateTimeOffset? asOf = null) =>
        healthScore.GetFromJsonAsync<CustomerHealthResponse>(
            asOf is { } instant ? $"/v1/customers/{customerId}/health?asOf={Instant(instant)}" : $"/v1/customers/{customerId}/health");

    public static Task<HealthHistoryResponse?> HistoryAsync(this HttpClient healthScore, string customerId, string query = "") =>
        healthScore.GetFromJsonAsync<HealthHistoryResponse>($"/v1/customers/{customerId}/health/history{query}");

    /// <summary>Polls the customer's current health until <paramref name="satisfied"/> holds (with the default deadline).</summary>
    public static async Task<CustomerHealthResponse> WaitForHealthAsync(
        this HttpClient healthScore, string customerId, Func<CustomerHealthResponse, bool> satisfied, string what) =>
        (await Eventually.ReachesAsync(() => healthScore.HealthAsync(customerId), h => h is not null && satisfied(h), what))!;

    /// <summary>Share of the whole score that outcome measures carry (0.8 standard, 0.7 key account).</summary>
    public static double OutcomeShare(this CustomerHealthResponse health) => health.Contributions.Where(c => c.Group == "outcome").Sum(c => c.Weight);

    public static HealthContribution Contribution(this CustomerHealthResponse health, string measure) => health.Contributions.Single(c => c.Measure == measure);
}

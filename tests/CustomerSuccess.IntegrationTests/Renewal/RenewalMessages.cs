using System.Net.Http.Json;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.IntegrationTests.Infrastructure;

namespace CustomerSuccess.IntegrationTests.Renewal;

/// <summary>Envelopes for renewal stories and the reads that wait for Renewal to have them.</summary>
internal static class RenewalReads
{
    public static Dictionary<string, object> Envelope(string customerId, string type, DateTimeOffset occurredAt, object data) => new()
    {
        ["id"] = $"{customerId}-{Guid.NewGuid():N}",
        ["type"] = type,
        ["customerId"] = customerId,
        ["occurredAt"] = occurredAt,
        ["data"] = data,
    };

    public static async Task PostAsync(this HttpClient ingestion, params Dictionary<string, object>[] envelopes)
    {
        var response = await ingestion.PostAsJsonAsync("/v1/events", envelopes);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }

    public static Task<CustomerRenewalResponse> WaitForRenewalAsync(this HttpClient renewal, string customerId, Func<CustomerRenewalResponse, bool> satisfied, string what, string query = "") =>
        Eventually.ReachesAsync(
            async () => (await renewal.GetFromJsonAsync<CustomerRenewalResponse>($"/v1/customers/{customerId}/renewal{query}"))!,
            r => r is not null && satisfied(r),
            what);
}

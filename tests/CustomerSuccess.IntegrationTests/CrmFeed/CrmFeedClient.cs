using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerSuccess.IntegrationTests.Infrastructure;

namespace CustomerSuccess.IntegrationTests.CrmFeed;

/// <summary>What the tests do through the CRM feed's HTTP API, as an integrator would.</summary>
public static class CrmFeedClient
{
    public static async Task<(string Id, string Secret)> RegisterAsync(HttpClient admin, Uri url, params string[] types)
    {
        var response = await admin.PostAsJsonAsync("/v1/webhooks", new { url, types, description = "test receiver" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("id").GetString()!, created.GetProperty("secret").GetString()!);
    }

    public static async Task<JsonElement> FeedAsync(HttpClient reader, string query)
    {
        var response = await reader.GetAsync($"/v1/feed?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> DeliveriesAsync(HttpClient admin, string webhookId, string? status = null) =>
        await admin.GetFromJsonAsync<JsonElement>($"/v1/webhooks/{webhookId}/deliveries" + (status is null ? "" : $"?status={status}"));

    /// <summary>Waits until the delivery of <paramref name="eventId"/> has <paramref name="status"/>; returns it.</summary>
    public static Task<JsonElement> DeliveryReachesAsync(HttpClient admin, string webhookId, string eventId, string status) =>
        Eventually.ReachesAsync(
            async () => (await DeliveriesAsync(admin, webhookId)).EnumerateArray().FirstOrDefault(d => d.GetProperty("eventId").GetString() == eventId),
            d => d.ValueKind == JsonValueKind.Object && d.GetProperty("status").GetString() == status,
            $"delivery of {eventId} to {webhookId} to be {status}");
}

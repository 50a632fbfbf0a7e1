using System.Net;
using System.Net.Http.Json;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.IntegrationTests.Infrastructure;

namespace CustomerSuccess.IntegrationTests.Lifecycle;

/// <summary>Reads of the Lifecycle API that the tests share.</summary>
internal static class LifecycleReads
{
    public static async Task<CustomerLifecycleResponse?> LifecycleAsync(this HttpClient lifecycle, string customerId)
    {
        using var response = await lifecycle.GetAsync($"/v1/customers/{customerId}/lifecycle");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<CustomerLifecycleResponse>();
    }

    /// <summary>Polls the customer's lifecycle until <paramref name="satisfied"/> holds (with the default deadline).</summary>
    public static async Task<CustomerLifecycleResponse> WaitForLifecycleAsync(
        this HttpClient lifecycle, string customerId, Func<CustomerLifecycleResponse, bool> satisfied, string what) =>
        (await Eventually.ReachesAsync(() => lifecycle.LifecycleAsync(customerId), l => l is not null && satisfied(l), what))!;

    /// <summary>Every item of <c>GET /v1/lifecycle</c> with <paramref name="query"/>, following the cursor page by page.</summary>
    public static async Task<IReadOnlyList<LifecycleListItem>> ListAllAsync(this HttpClient lifecycle, string query, int limit = 1000)
    {
        var items = new List<LifecycleListItem>();
        string? after = null;
        do
        {
            var page = await lifecycle.GetFromJsonAsync<LifecycleListResponse>(
                $"/v1/lifecycle?{query}&limit={limit}" + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}"));
            items.AddRange(page!.Items);
            after = page.Next;
        }
        while (after is not null);

        return items;
    }
}

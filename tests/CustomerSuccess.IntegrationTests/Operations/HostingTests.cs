using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerSuccess.Contracts.Messaging;
using CustomerSuccess.IntegrationTests.Infrastructure;

namespace CustomerSuccess.IntegrationTests.Operations;

[Collection(PlatformCollection.Name)]
public sealed class HostingTests(Platform platform)
{
    public static TheoryData<string> Services => ["ingestion", "healthscore", "lifecycle", "renewal"];

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_service_reports_live_and_ready_with_each_dependency_named(string service)
    {
        using var client = ClientFor(service, apiKey: null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

        var ready = await client.GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal("Healthy", ready.GetProperty("status").GetString());
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("rabbitmq").GetProperty("status").GetString());
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_service_publishes_its_openapi_document_with_the_api_key_scheme(string service)
    {
        using var client = ClientFor(service, apiKey: null);
        var document = await client.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        Assert.Contains(document.GetProperty("paths").EnumerateObject(), path => path.Name.StartsWith("/v1/", StringComparison.Ordinal));
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("ApiKey", out _));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task An_unknown_route_is_a_404_problem(string service)
    {
        using var client = ClientFor(service, Platform.AdminKey);
        var response = await client.GetAsync("/v1/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unknown_customer_is_a_404_problem_in_each_query_service()
    {
        var customerId = Envelopes.NewCustomerId("nobody");
        foreach (var (service, path) in new[] { ("healthscore", "health"), ("lifecycle", "lifecycle"), ("renewal", "renewal") })
        {
            using var client = ClientFor(service, Platform.ReadKey);
            var response = await client.GetAsync($"/v1/customers/{customerId}/{path}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    public static TheoryData<string> ConsumerQueues => [.. QueueNames.All];

    [Theory]
    [MemberData(nameof(ConsumerQueues))]
    public async Task Consumer_queues_are_durable_quorum_queues(string queue)
    {
        using var management = platform.ManagementClient();
        var declared = await Eventually.ReachesAsync(
            async () => await management.GetAsync($"api/queues/{Uri.EscapeDataString(platform.VirtualHost)}/{queue}"),
            response => response.StatusCode == HttpStatusCode.OK,
            $"queue {queue} to be declared");
        var info = await declared.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("quorum", info.GetProperty("type").GetString());
        Assert.True(info.GetProperty("durable").GetBoolean());
    }

    private HttpClient ClientFor(string service, string? apiKey) => service switch
    {
        "ingestion" => Platform.Client(platform.Ingestion, apiKey),
        "healthscore" => Platform.Client(platform.HealthScore, apiKey),
        "lifecycle" => Platform.Client(platform.Lifecycle, apiKey),
        _ => Platform.Client(platform.Renewal, apiKey),
    };
}

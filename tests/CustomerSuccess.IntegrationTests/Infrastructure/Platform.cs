using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using CustomerSuccess.HealthScore;
using CustomerSuccess.Ingestion;
using CustomerSuccess.Lifecycle;
using CustomerSuccess.Renewal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CustomerSuccess.IntegrationTests.Infrastructure;

/// <summary>
/// All four services in the test process, wired to the real PostgreSQL and RabbitMQ, isolated from every
/// other fixture by their own schemas (suffix per fixture) and their own RabbitMQ virtual host; both are
/// dropped afterwards.
/// </summary>
public class Platform : IAsyncLifetime
{
    public const string AdminKey = "test-key-all-scopes-0123456789";
    public const string IngestKey = "test-key-ingest-only-0123456789";
    public const string ReadKey = "test-key-read-only-0123456789";
    public const string ThrottledKey = "test-key-throttled-0123456789";

    private static readonly string[] Services = ["ingestion", "healthscore", "lifecycle", "renewal"];
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];
    private TestServerEndpoints? _servers;

    /// <summary>A fake clock shared by all four services, when the fixture asked for one.</summary>
    public FakeTimeProvider? Clock { get; }

    public ServiceFactory<IngestionHost> Ingestion { get; private set; } = null!;
    public ServiceFactory<HealthScoreHost> HealthScore { get; private set; } = null!;
    public ServiceFactory<LifecycleHost> Lifecycle { get; private set; } = null!;
    public ServiceFactory<RenewalHost> Renewal { get; private set; } = null!;

    public Platform() : this(clock: null)
    {
    }

    protected Platform(FakeTimeProvider? clock) => Clock = clock;

    public string VirtualHost => $"cs-test-{_suffix}";

    /// <summary>The AMQP URI of this fixture's own virtual host.</summary>
    public Uri RabbitMqUri => new UriBuilder(Servers.RabbitMq) { Path = "/" + Uri.EscapeDataString(VirtualHost) }.Uri;

    public TestServerEndpoints Servers => _servers ?? throw new InvalidOperationException("The platform has not started.");

    public async Task InitializeAsync()
    {
        _servers = await TestServers.GetAsync();
        await CreateVirtualHostAsync();
        Ingestion = Create<IngestionHost>("ingestion");
        HealthScore = Create<HealthScoreHost>("healthscore");
        Lifecycle = Create<LifecycleHost>("lifecycle");
        Renewal = Create<RenewalHost>("renewal");

        // Ingestion first, as on a first deploy: it declares the subscriber queues itself, so nothing it relays
        // before the consumers start is lost.
        await Task.Run(() => Ingestion.Server);
        await Task.WhenAll(
            Task.Run(() => HealthScore.Server),
            Task.Run(() => Lifecycle.Server),
            Task.Run(() => Renewal.Server));
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var factory in new IAsyncDisposable?[] { Ingestion, HealthScore, Lifecycle, Renewal })
        {
            if (factory is not null)
            {
                await factory.DisposeAsync();
            }
        }

        if (_servers is null)
        {
            return;
        }

        using var management = ManagementClient();
        await management.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(VirtualHost)}");
        await using var connection = new NpgsqlConnection(Servers.Postgres);
        await connection.OpenAsync();
        foreach (var service in Services)
        {
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema(service)} CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    public string Schema(string service) => $"{service}_{_suffix}";

    /// <summary>The settings this fixture gives <paramref name="service"/> (database, broker, keys), for one more instance of it.</summary>
    public IReadOnlyDictionary<string, string> SettingsFor(string service) => new Dictionary<string, string>(Settings(service));

    /// <summary>An HTTP client for one service carrying <paramref name="apiKey"/> (null: no key).</summary>
    public static HttpClient Client<T>(ServiceFactory<T> service, string? apiKey = AdminKey)
        where T : class
    {
        var client = service.CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    protected virtual void ConfigureServices(IServiceCollection services)
    {
        if (Clock is not null)
        {
            services.AddSingleton<TimeProvider>(Clock);
        }
    }

    protected virtual IDictionary<string, string> Settings(string service) => new Dictionary<string, string>
    {
        ["ConnectionStrings:Postgres"] = Servers.Postgres,
        ["EventStore:Schema"] = Schema(service),
        ["EventStore:DaemonMode"] = "Solo",
        ["RabbitMq:Uri"] = RabbitMqUri.ToString(),
        ["ApiKeys:Keys:0:Name"] = "admin",
        ["ApiKeys:Keys:0:Key"] = AdminKey,
        ["ApiKeys:Keys:0:Scopes:0"] = "ingest",
        ["ApiKeys:Keys:0:Scopes:1"] = "read",
        ["ApiKeys:Keys:0:Scopes:2"] = "admin",
        ["ApiKeys:Keys:1:Name"] = "product-backend",
        ["ApiKeys:Keys:1:Key"] = IngestKey,
        ["ApiKeys:Keys:1:Scopes:0"] = "ingest",
        ["ApiKeys:Keys:2:Name"] = "crm",
        ["ApiKeys:Keys:2:Key"] = ReadKey,
        ["ApiKeys:Keys:2:Scopes:0"] = "read",
        ["ApiKeys:Keys:3:Name"] = "throttled",
        ["ApiKeys:Keys:3:Key"] = ThrottledKey,
        ["ApiKeys:Keys:3:Scopes:0"] = "ingest",
        ["ApiKeys:Keys:3:PermitsPerSecond"] = "1",
        ["ApiKeys:PermitsPerSecond"] = "100000",
        // The daily run is driven by a fake clock where a test needs it; on the wall clock it would fire at 00:05 UTC
        // in the middle of unrelated assertions.
        ["Evaluations:Enabled"] = Clock is null ? "false" : "true",
        ["ApiKeys:Burst"] = "100000",
        // Renewal's webhooks reach the tests' receivers on loopback, promptly.
        ["CrmFeed:AllowLoopback"] = "true",
        ["CrmFeed:PollInterval"] = "00:00:00.100",
    };

    private ServiceFactory<T> Create<T>(string service)
        where T : class => new(new Dictionary<string, string>(Settings(service)), ConfigureServices);

    private async Task CreateVirtualHostAsync()
    {
        using var management = ManagementClient();
        var vhost = Uri.EscapeDataString(VirtualHost);
        (await management.PutAsync($"api/vhosts/{vhost}", null)).EnsureSuccessStatusCode();
        var user = Uri.UnescapeDataString(Servers.RabbitMq.UserInfo.Split(':')[0]);
        (await management.PutAsJsonAsync($"api/permissions/{vhost}/{Uri.EscapeDataString(user)}", new { configure = ".*", write = ".*", read = ".*" }))
            .EnsureSuccessStatusCode();
    }

    /// <summary>RabbitMQ's management API for this fixture's servers (guest credentials from the AMQP URI).</summary>
    public HttpClient ManagementClient()
    {
        var credentials = Uri.UnescapeDataString(Servers.RabbitMq.UserInfo is { Length: > 0 } info ? info : "guest:guest");
        var client = new HttpClient { BaseAddress = Servers.RabbitMqManagement, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return client;
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<Platform>
{
    public const string Name = "platform";
}

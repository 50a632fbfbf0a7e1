using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using CustomerSuccess.CrmFeed;
using CustomerSuccess.CrmFeed.Broker;
using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.IntegrationTests.Infrastructure;
using CustomerSuccess.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CustomerSuccess.IntegrationTests.CrmFeed;

/// <summary>
/// The CRM feed as Renewal hosts it (the service defaults, an event store, and the two registration lines), on Kestrel, against the
/// real PostgreSQL and RabbitMQ in a schema and a virtual host of its own. Retries take seconds, loopback receivers
/// are allowed. <see cref="RestartAsync"/> stops the host and starts a new one on the same tables, as a crashed
/// instance's replacement would.
/// </summary>
public class CrmFeedHost : IAsyncLifetime
{
    public const string AdminKey = "test-key-crm-admin-0123456789";
    public const string ReadKey = "test-key-crm-read-0123456789";

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];
    private WebApplication? _app;

    public TestServerEndpoints Servers { get; private set; } = null!;

    public string Schema => $"crmfeed_{_suffix}";

    public string VirtualHost => $"cs-crm-{_suffix}";

    public Uri RabbitMqUri => new UriBuilder(Servers.RabbitMq) { Path = "/" + Uri.EscapeDataString(VirtualHost) }.Uri;

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The host has not started.");

    public CloudEventPublisher Publisher => Services.GetRequiredService<CloudEventPublisher>();

    public async Task InitializeAsync()
    {
        Servers = await TestServers.GetAsync();
        using (var management = ManagementClient())
        {
            var vhost = Uri.EscapeDataString(VirtualHost);
            (await management.PutAsync($"api/vhosts/{vhost}", null)).EnsureSuccessStatusCode();
            var user = Uri.UnescapeDataString(Servers.RabbitMq.UserInfo.Split(':')[0]);
            (await management.PutAsJsonAsync($"api/permissions/{vhost}/{Uri.EscapeDataString(user)}", new { configure = ".*", write = ".*", read = ".*" }))
                .EnsureSuccessStatusCode();
        }

        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        using (var management = ManagementClient())
        {
            await management.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(VirtualHost)}");
        }

        await using var connection = new NpgsqlConnection(Servers.Postgres);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>Stops the host without letting it finish anything in flight, then starts a fresh one on the same tables.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public HttpClient Client(string? apiKey = AdminKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    public HttpClient ManagementClient()
    {
        var credentials = Uri.UnescapeDataString(Servers.RabbitMq.UserInfo is { Length: > 0 } info ? info : "guest:guest");
        var client = new HttpClient { BaseAddress = Servers.RabbitMqManagement, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return client;
    }

    protected virtual IDictionary<string, string?> Settings() => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Postgres"] = Servers.Postgres,
        ["EventStore:Schema"] = Schema,
        ["EventStore:DaemonMode"] = "Solo",
        ["RabbitMq:Uri"] = RabbitMqUri.ToString(),
        ["ApiKeys:Keys:0:Name"] = "admin",
        ["ApiKeys:Keys:0:Key"] = AdminKey,
        ["ApiKeys:Keys:0:Scopes:0"] = "read",
        ["ApiKeys:Keys:0:Scopes:1"] = "admin",
        ["ApiKeys:Keys:1:Name"] = "crm",
        ["ApiKeys:Keys:1:Key"] = ReadKey,
        ["ApiKeys:Keys:1:Scopes:0"] = "read",
        ["ApiKeys:PermitsPerSecond"] = "100000",
        ["ApiKeys:Burst"] = "100000",
        ["CrmFeed:AllowLoopback"] = "true",
        ["CrmFeed:PollInterval"] = "00:00:00.100",
        ["CrmFeed:RetryDelays:0"] = "00:00:01",
        ["CrmFeed:RetryDelays:1"] = "00:00:01",
        ["CrmFeed:RetryJitter"] = "0",
        ["CrmFeed:AttemptTimeout"] = "00:00:05",
        ["CrmFeed:ClaimLease"] = "00:00:08",
        ["CrmFeed:Broker:QuorumQueue"] = "false",
        ["CrmFeed:Broker:PublishTimeout"] = "00:00:10",
    };

    private async Task StartAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(Settings());
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddServiceDefaults("crm-feed-test");
        builder.AddEventStore("crmfeedtest", _ => { });
        builder.AddCloudEventPublisher();
        builder.AddCrmFeed();

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapCrmFeedApi();
        await app.StartAsync();
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    private async Task StopAsync()
    {
        if (_app is null)
        {
            return;
        }

        using (var abrupt = new CancellationTokenSource(TimeSpan.FromMilliseconds(1)))
        {
            await _app.StopAsync(abrupt.Token);
        }

        await _app.DisposeAsync();
        _app = null;
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

using System.Net;
using System.Net.Sockets;
using CustomerSuccess.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Time.Testing;

namespace CustomerSuccess.IntegrationTests.Renewal;

/// <summary>
/// The four services, with Renewal's HealthScore client sent to the in-process HealthScore (the services run on test
/// servers, not on ports), so the health detail travels the real Refit client and Polly pipeline.
/// </summary>
public sealed class RenewalPlatform : Platform
{
    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.ConfigureAll<HttpClientFactoryOptions>(options => options.HttpMessageHandlerBuilderActions.Add(handler =>
        {
            if (handler.Name?.Contains(nameof(CustomerSuccess.Client.IHealthScoreApi), StringComparison.Ordinal) == true)
            {
                handler.PrimaryHandler = HealthScore.Server.CreateHandler();
            }
        }));
    }
}

[CollectionDefinition(Name)]
public sealed class RenewalPlatformCollection : ICollectionFixture<RenewalPlatform>
{
    public const string Name = "renewal";
}

/// <summary>
/// The four services on one fake clock starting 60 days in the past (so the daily run can be driven), with Renewal's
/// HealthScore client pointed at a port nobody listens on: HealthScore is down as far as Renewal can tell.
/// </summary>
public sealed class RenewalClockPlatform() : Platform(new FakeTimeProvider(new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-60).AddHours(12), TimeSpan.Zero)))
{
    public static readonly Uri DeadHealthScore = new($"http://127.0.0.1:{FreePort()}");

    protected override IDictionary<string, string> Settings(string service)
    {
        var settings = base.Settings(service);
        if (service == "renewal")
        {
            settings["Renewal:HealthScore:BaseAddress"] = DeadHealthScore.ToString();
        }

        return settings;
    }

    /// <summary>A port that was free a moment ago and is closed again: connecting to it is refused.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

[CollectionDefinition(Name)]
public sealed class RenewalClockPlatformCollection : ICollectionFixture<RenewalClockPlatform>
{
    public const string Name = "renewal-fake-clock";
}

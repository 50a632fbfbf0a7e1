using System.Net;
using System.Net.Sockets;
using CustomerSuccess.CrmFeed.Broker;
using CustomerSuccess.CrmFeed.Feed;
using CustomerSuccess.CrmFeed.Store;
using CustomerSuccess.CrmFeed.Webhooks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Npgsql;
using Marten;
using Polly;

namespace CustomerSuccess.CrmFeed;

public static class CrmFeedExtensions
{
    /// <summary>
    /// The publisher a service's outbox relay uses to put CRM feed events on the <c>customersuccess.integration</c>
    /// exchange (options <c>CrmFeed:Broker:*</c>, connection <c>RabbitMq:Uri</c> by default).
    /// </summary>
    public static IHostApplicationBuilder AddCloudEventPublisher(this IHostApplicationBuilder builder)
    {
        AddBrokerOptions(builder);
        builder.Services.TryAddSingleton<CloudEventPublisher>();
        return builder;
    }

    /// <summary>
    /// The feed store (a consumer of the exchange), the webhook dispatcher and their tables, in the host's PostgreSQL
    /// (<c>ConnectionStrings:Postgres</c>, schema <c>CrmFeed:Schema</c> or <c>EventStore:Schema</c>). The tables join the
    /// host's Marten store (call after <c>AddEventStore</c>), so its schema policy and <c>db apply</c> cover them. Map
    /// the API with <see cref="MapCrmFeedApi"/>.
    /// </summary>
    public static IHostApplicationBuilder AddCrmFeed(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        AddBrokerOptions(builder);
        builder.Services.AddOptions<CrmFeedOptions>().BindConfiguration(CrmFeedOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.ClaimLease > o.AttemptTimeout, "CrmFeed:ClaimLease must exceed CrmFeed:AttemptTimeout.")
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.AttemptTimeout > TimeSpan.Zero && o.DisableAfter > TimeSpan.Zero
                           && o.SecretRotationOverlap >= TimeSpan.Zero && o.CircuitBreakDuration > TimeSpan.Zero
                           && o.DeliveryLogRetention > TimeSpan.Zero && o.DeliveryLogPruneInterval > TimeSpan.Zero && o.BacklogReadInterval > TimeSpan.Zero,
                "CrmFeed intervals must be positive.")
            .Validate(o => o.RetryDelays is null || o.RetryDelays.All(d => d > TimeSpan.Zero), "CrmFeed:RetryDelays must be positive.")
            .ValidateOnStart();

        var schema = builder.Configuration[$"{CrmFeedOptions.Section}:Schema"]
            ?? builder.Configuration["EventStore:Schema"]
            ?? "renewal";
        var connectionString = builder.Configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not set (e.g. ConnectionStrings__Postgres=\"Host=127.0.0.1;Port=55432;Username=postgres;Database=customersuccess\").");
        var database = new CrmFeedDatabase(NpgsqlDataSource.Create(connectionString), schema);
        builder.Services.AddSingleton(database);
        builder.Services.ConfigureMarten(options => options.Storage.ExtendedSchemaObjects.AddRange(CrmFeedSchema.Objects(database)));
        builder.Services.AddSingleton<FeedStore>();
        builder.Services.AddSingleton<WebhookStore>();
        builder.Services.AddSingleton<DeliveryQueue>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddSingleton<WebhookMetrics>();

        builder.Services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(services => ReceiverHandler(services.GetRequiredService<IOptions<CrmFeedOptions>>().Value))
            .AddResilienceHandler("webhook-attempt", (pipeline, context) =>
            {
                var settings = context.ServiceProvider.GetRequiredService<IOptions<CrmFeedOptions>>().Value;
                pipeline.AddTimeout(settings.AttemptTimeout);
                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = settings.CircuitFailureRatio,
                    MinimumThroughput = settings.CircuitMinimumThroughput,
                    SamplingDuration = settings.CircuitSamplingDuration,
                    BreakDuration = settings.CircuitBreakDuration,
                });
            })
            // One circuit per receiver host, so one broken CRM does not hold back the others.
            .SelectPipelineByAuthority();

        // After the host's AddEventStore: Marten applies (or, in Production, checks) the schema before these start.
        builder.Services.AddHostedService<FeedStoreConsumer>();
        builder.Services.AddHostedService<WebhookDispatcher>();
        builder.Services.AddHostedService<WebhookBacklogGauge>();
        builder.Services.AddSingleton<DeliveryLogRetention>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DeliveryLogRetention>());
        return builder;
    }

    /// <summary><c>GET /v1/feed</c> (read scope) and <c>/v1/webhooks…</c> (admin scope).</summary>
    public static IEndpointRouteBuilder MapCrmFeedApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapFeedApi();
        endpoints.MapWebhookApi();
        return endpoints;
    }

    private static void AddBrokerOptions(IHostApplicationBuilder builder)
    {
        var servicesBroker = builder.Configuration["RabbitMq:Uri"] ?? "amqp://guest:guest@127.0.0.1:5672/";
        builder.Services.AddOptions<CrmFeedBrokerOptions>().BindConfiguration(CrmFeedBrokerOptions.Section)
            .PostConfigure(o => o.Uri ??= servicesBroker)
            .ValidateDataAnnotations()
            .Validate(o => System.Uri.TryCreate(o.Uri, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps", "CrmFeed:Broker:Uri (or RabbitMq:Uri) must be an amqp:// or amqps:// URI.")
            .Validate(o => o.PublishTimeout > TimeSpan.Zero, "CrmFeed:Broker:PublishTimeout must be positive.")
            .ValidateOnStart();
    }

    /// <summary>
    /// Never follows redirects (a receiver cannot bounce a signed delivery elsewhere), sends no cookies, and checks
    /// every resolved address against the URL policy before connecting.
    /// </summary>
    private static SocketsHttpHandler ReceiverHandler(CrmFeedOptions settings)
    {
        var policy = settings.UrlPolicy();
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = settings.AttemptTimeout,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var addresses = IPAddress.TryParse(context.DnsEndPoint.Host.Trim('[', ']'), out var literal)
                    ? [literal]
                    : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
                var allowed = addresses.Where(policy.IsAllowed).ToArray();
                if (allowed.Length == 0)
                {
                    throw new HttpRequestException($"The receiver host '{context.DnsEndPoint.Host}' resolves only to blocked addresses.");
                }

                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }
}

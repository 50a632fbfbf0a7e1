using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Refit;

namespace CustomerSuccess.Client;

/// <summary>Where the four services are and which API key to send.</summary>
public sealed class CustomerSuccessClientOptions
{
    public Uri Ingestion { get; set; } = new("http://127.0.0.1:5101");
    public Uri HealthScore { get; set; } = new("http://127.0.0.1:5102");
    public Uri Lifecycle { get; set; } = new("http://127.0.0.1:5103");
    public Uri Renewal { get; set; } = new("http://127.0.0.1:5104");
    public string ApiKey { get; set; } = "";

    /// <summary>Retries of a request answered 429, 503 or a transient failure; waits as long as <c>Retry-After</c> says.</summary>
    public int MaxRetryAttempts { get; set; } = 6;
}

public static class CustomerSuccessClientRegistration
{
    /// <summary>
    /// Registers <see cref="IIngestionApi"/>, <see cref="IHealthScoreApi"/>, <see cref="ILifecycleApi"/> and
    /// <see cref="IRenewalApi"/>. Each retries 429 and 503 (honouring <c>Retry-After</c>) and transient failures;
    /// retrying a POST is safe because envelope ids make ingestion idempotent.
    /// </summary>
    public static IServiceCollection AddCustomerSuccessClients(
        this IServiceCollection services, CustomerSuccessClientOptions options, Action<IHttpClientBuilder>? configure = null)
    {
        Add<IIngestionApi>(services, options, options.Ingestion, configure);
        Add<IHealthScoreApi>(services, options, options.HealthScore, configure);
        Add<ILifecycleApi>(services, options, options.Lifecycle, configure);
        Add<IRenewalApi>(services, options, options.Renewal, configure);
        return services;
    }

    /// <summary>
    /// Registers <see cref="IHealthScoreApi"/> alone, without base address, key or resilience: for a service that reads
    /// HealthScore with its own policy (Renewal's timeout, retry and circuit breaker).
    /// </summary>
    public static IHttpClientBuilder AddHealthScoreApi(this IServiceCollection services) => services.AddRefitGeneratedClient<IHealthScoreApi>();

    private static void Add<T>(IServiceCollection services, CustomerSuccessClientOptions options, Uri baseAddress, Action<IHttpClientBuilder>? configure)
        where T : class
    {
        var client = services.AddRefitGeneratedClient<T>()
            .ConfigureHttpClient(http =>
            {
                http.BaseAddress = baseAddress;
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
            });
        client.AddResilienceHandler("customersuccess-retry", pipeline => pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = options.MaxRetryAttempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            ShouldRetryAfterHeader = true,
            // A PUT (adopting a scoring model) is not idempotent: a retry after a lost answer could adopt it twice.
            ShouldHandle = args => ValueTask.FromResult(
                args.Context.GetRequestMessage()?.Method != HttpMethod.Put
                && (args.Outcome.Exception is HttpRequestException or TimeoutException
                || args.Outcome.Result?.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
                    or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout)),
        }));
        configure?.Invoke(client);
    }
}

using System.Diagnostics.Metrics;
using CustomerSuccess.ServiceDefaults.OpenApi;
using CustomerSuccess.ServiceDefaults.Problems;
using CustomerSuccess.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CustomerSuccess.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// What every service shares: OpenTelemetry (OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; traces are recorded
    /// only then, see <see cref="TraceSampling"/>), health checks,
    /// Prometheus metrics on <c>/metrics</c>, problem details, API-key auth with scopes, per-key rate limiting, Swagger
    /// and the system clock.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.AddTelemetry(serviceName);

        builder.Services.AddOptions<ShutdownOptions>().BindConfiguration(ShutdownOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) => host.ShutdownTimeout = shutdown.Value.ShutdownTimeout);

        builder.Services.AddHealthChecks();
        builder.Services.AddSingleton<IHealthCheckPublisher, HealthStatusGauge>();
        builder.Services.Configure<HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.FromSeconds(2);
            o.Period = TimeSpan.FromSeconds(15);
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<KnownExceptionHandler>();

        builder.Services.AddApiKeyOptions();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Scopes.Ingest, p => p.RequireClaim(Scopes.ClaimType, Scopes.Ingest))
            .AddPolicy(Scopes.Read, p => p.RequireClaim(Scopes.ClaimType, Scopes.Read))
            .AddPolicy(Scopes.Admin, p => p.RequireClaim(Scopes.ClaimType, Scopes.Admin));
        builder.Services.AddApiKeyRateLimiting();

        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo { Title = $"CustomerSuccess {serviceName}", Version = "v1" });
            swagger.AddSecurityDefinition(ApiKeyAuthenticationHandler.SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.HeaderName,
                Description = "API key with the scope the endpoint needs (ingest, read or admin).",
            });
            swagger.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The same API key as 'Authorization: Bearer <key>'.",
            });
            // Two requirements are alternatives: either header carries the key.
            swagger.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, document)] = [],
            });
            swagger.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [],
            });
            swagger.OperationFilter<CommonOperationResponses>();
            swagger.DocumentFilter<CommonDocumentParts>();
        });
        return builder;
    }

    private static void AddTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        var exporting = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .SetSampler(TraceSampling.FromConfiguration(builder.Configuration, exporting))
                .AddAspNetCoreInstrumentation(o => o.Filter = context =>
                    !context.Request.Path.StartsWithSegments("/health") && !context.Request.Path.StartsWithSegments(MetricsPath))
                .AddHttpClientInstrumentation()
                .AddSource("MassTransit", "Marten", "Npgsql", "CustomerSuccess.*"))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    // MassTransit 8 measures consume duration, faults and in-flight messages per queue under its own meter.
                    .AddMeter("MassTransit", "Marten", "CustomerSuccess.*")
                    .AddPrometheusExporter();
                // A process may host several services (the integration tests do): each service measures the meters of its
                // own host (created by its IMeterFactory) and the process-wide ones, never another host's, which would
                // report the wrong service and crowd out its own metrics.
                ((IDeferredMeterProviderBuilder)metrics).Configure((services, provider) =>
                {
                    var own = services.GetRequiredService<IMeterFactory>();
                    provider.AddView(instrument =>
                        instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, own) ? null : MetricStreamConfiguration.Drop);
                });
            });
        if (exporting)
        {
            telemetry.UseOtlpExporter();
        }
    }

    /// <summary>Middleware and endpoints every service shares: errors, auth, rate limits, health, metrics, Swagger.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        // Every /v1 endpoint needs a key, so an unauthenticated caller gets 401 before anything else can answer:
        // routing picks a 415 endpoint for a body of the wrong media type (Accepts metadata, body parameters) and
        // authorization never sees that endpoint; this also keeps /v1 routes from being probed without a key.
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(V1) && context.User.Identity is not { IsAuthenticated: true })
            {
                await context.ChallengeAsync();
                return;
            }

            await next(context);
        });
        app.UseAuthorization();
        app.UseRateLimiter();
        // Generators need a base URL: the scheme and Host of the request that fetched this document (a reverse proxy
        // that passes the Host header through gets its own address).
        app.UseSwagger(swagger => swagger.PreSerializeFilters.Add((document, request) =>
            document.Servers = [new OpenApiServer { Url = $"{request.Scheme}://{request.Host.Value}{request.PathBase}" }]));
        app.UseSwaggerUI();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthReportWriter.WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(HealthTags.Ready), ResponseWriter = HealthReportWriter.WriteAsync });
        // Unauthenticated like /health/*, so Prometheus needs no key: firewall the path where it must not be public.
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();
        return app;
    }

    /// <summary>The <c>/v1</c> route group: every endpoint in it needs an API key.</summary>
    public static RouteGroupBuilder MapV1(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGroup(V1).RequireAuthorization();

    private const string V1 = "/v1";
    private const string MetricsPath = "/metrics";
    private const string BearerScheme = "Bearer";
}

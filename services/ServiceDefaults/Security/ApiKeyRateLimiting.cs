using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.ServiceDefaults.Security;

/// <summary>A token bucket per API key; unauthenticated requests are not limited here (they never get past auth).</summary>
public static class ApiKeyRateLimiting
{
    public static IServiceCollection AddApiKeyRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var name = context.User.Identity is { IsAuthenticated: true } identity ? identity.Name : null;
                if (name is null)
                {
                    return RateLimitPartition.GetNoLimiter("anonymous");
                }

                var (perSecond, burst) = Budget(context, name);
                // The budget is part of the partition key, so a reconfigured key gets a fresh bucket at once.
                return RateLimitPartition.GetTokenBucketLimiter($"{name}:{perSecond}:{burst}", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = burst,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var context = rejected.HttpContext;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
                    ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds))
                    : 1;
                var (perSecond, _) = Budget(context, context.User.Identity?.Name ?? "");
                context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                context.Response.Headers["RateLimit-Limit"] = perSecond.ToString(CultureInfo.InvariantCulture);
                context.Response.Headers["RateLimit-Remaining"] = "0";
                context.Response.Headers["RateLimit-Reset"] = retryAfter.ToString(CultureInfo.InvariantCulture);
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"This API key may make {perSecond} requests per second. Retry after {retryAfter} s.",
                    },
                });
            };
        });
        return services;
    }

    private static (int PerSecond, int Burst) Budget(HttpContext context, string keyName)
    {
        var options = context.RequestServices.GetRequiredService<IOptionsMonitor<ApiKeyOptions>>().CurrentValue;
        var perSecond = options.Keys.FirstOrDefault(k => k.Name == keyName)?.PermitsPerSecond ?? options.PermitsPerSecond;
        var burst = Math.Max(perSecond, options.Burst * perSecond / Math.Max(1, options.PermitsPerSecond));
        return (perSecond, burst);
    }
}

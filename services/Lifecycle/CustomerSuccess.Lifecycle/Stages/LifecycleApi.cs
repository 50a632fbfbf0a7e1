using System.Text;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.Lifecycle.Domain;
using CustomerSuccess.ServiceDefaults;
using CustomerSuccess.ServiceDefaults.Security;
using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.Lifecycle.Stages;

public static class LifecycleApi
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    public static IEndpointRouteBuilder MapLifecycleApi(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapV1().WithTags("Lifecycle");
        v1.MapGet("/customers/{customerId}/lifecycle", GetLifecycleAsync)
            .WithName("getCustomerLifecycle")
            .RequireAuthorization(Scopes.Read)
            .WithName("getCustomerLifecycle")
            .Produces<CustomerLifecycleResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A customer's stage and stage history, milestones with due dates and overdue flags, tier and tier history, as of now.");
        v1.MapGet("/lifecycle", ListAsync)
            .RequireAuthorization(Scopes.Read)
            .WithName("listLifecycle")
            .Produces<LifecycleListResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Customers by stage, tier and overdue flag, ordered by customer id; pass 'next' as 'after' for the next page.");
        return endpoints;
    }

    private static async Task<IResult> GetLifecycleAsync(
        string customerId, IQuerySession session, IOptions<LifecycleSettings> settings, TimeProvider time, CancellationToken cancellationToken)
    {
        var history = await session.LoadAsync<LifecycleHistory>(customerId, cancellationToken);
        var view = history is null ? null : LifecycleTimeline.Derive(history, settings.Value, time.GetUtcNow());
        return view?.Stage is null ? UnknownCustomer(customerId) : Results.Ok(view.ToResponse());
    }

    private static async Task<IResult> ListAsync(
        string? stage, string? tier, string? overdue, string? limit, string? after, IQuerySession session, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var stageFilter = Filter<LifecycleStage>("stage", stage, errors);
        var tierFilter = Filter<CustomerTier>("tier", tier, errors);
        bool? overdueFilter = null;
        if (!string.IsNullOrEmpty(overdue))
        {
            if (bool.TryParse(overdue, out var flag))
            {
                overdueFilter = flag;
            }
            else
            {
                errors["overdue"] = [$"'{overdue}' is not true or false."];
            }
        }

        var take = DefaultPageSize;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, out take) || take is < 1 or > MaxPageSize))
        {
            errors["limit"] = [$"'limit' must be a whole number from 1 to {MaxPageSize}."];
        }

        string? afterId = null;
        if (!string.IsNullOrEmpty(after) && !TryDecodeCursor(after, out afterId))
        {
            errors["after"] = ["'after' must be the 'next' cursor of a previous page."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "Invalid filter");
        }

        IQueryable<LifecycleSummary> query = session.Query<LifecycleSummary>();
        if (stageFilter is { } s)
        {
            query = query.Where(x => x.Stage == s);
        }

        if (tierFilter is { } t)
        {
            query = query.Where(x => x.Tier == t);
        }

        if (overdueFilter is { } o)
        {
            query = query.Where(x => x.Overdue == o);
        }

        if (afterId is not null)
        {
            query = query.Where(x => x.MatchesSql("d.id > ?", afterId));
        }

        // One more than the page tells whether there is a next page without counting.
        var page = await query.OrderBy(x => x.Id).Take(take + 1).ToListAsync(cancellationToken);
        var items = page.Take(take).Select(x => x.ToListItem()).ToList();
        return Results.Ok(new LifecycleListResponse(items, page.Count > take ? EncodeCursor(items[^1].CustomerId) : null));
    }

    private static string EncodeCursor(string customerId) => Convert.ToBase64String(Encoding.UTF8.GetBytes(customerId)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecodeCursor(string cursor, out string? customerId)
    {
        customerId = null;
        var base64 = cursor.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written == 0)
        {
            return false;
        }

        customerId = Encoding.UTF8.GetString(bytes, 0, written);
        return true;
    }

    private static T? Filter<T>(string name, string? text, Dictionary<string, string[]> errors) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (LifecycleResponses.TryParseWire<T>(text, out var value))
        {
            return value;
        }

        errors[name] = [$"'{text}' is not a {name}; use one of: {string.Join(", ", LifecycleResponses.WireNames<T>())}."];
        return null;
    }

    internal static IResult UnknownCustomer(string customerId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown customer", detail: $"Customer '{customerId}' has no lifecycle yet (no contract or handover).");
}

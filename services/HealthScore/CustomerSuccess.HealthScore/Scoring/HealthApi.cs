using CustomerSuccess.Contracts;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.HealthScore.Domain;
using CustomerSuccess.HealthScore.ScoringModels;
using CustomerSuccess.ServiceDefaults;
using CustomerSuccess.ServiceDefaults.Security;
using Marten;
using Marten.Events;
using Marten.Linq;

namespace CustomerSuccess.HealthScore.Scoring;

public static class HealthApi
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapV1().WithTags("Health");
        v1.MapGet("/customers/{customerId}/health", GetHealthAsync)
            .WithName("getCustomerHealth")
            .RequireAuthorization(Scopes.Read)
            .Produces<CustomerHealthResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A customer's health score with its contributions; with asOf, recomputed as of that instant with the model, tier and stage then in force.");
        v1.MapGet("/customers/{customerId}/health/history", GetHistoryAsync)
            .WithName("getCustomerHealthHistory")
            .RequireAuthorization(Scopes.Read)
            .Produces<HealthHistoryResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The evaluations that changed a customer's health, oldest first, optionally within [from, to] by evaluatedAt.");
        v1.MapGet("/health", ListAsync)
            .WithName("listHealth")
            .RequireAuthorization(Scopes.Read)
            .Produces<HealthListResponse>()
            .ProducesValidationProblem()
            .WithSummary("Customers' current health, filtered by band (green/yellow/red), quadrant (Q1–Q4) and tier (standard/high_potential/key_account).");
        v1.MapPost("/health/evaluations", ReevaluateAsync)
            .WithName("reevaluateHealth")
            .RequireAuthorization(Scopes.Admin)
            .Produces<HealthReevaluationResult>()
            .WithSummary("Re-scores every customer now with the current model (as the daily run does); only changed results are stored.");
        return endpoints;
    }

    private static async Task<IResult> GetHealthAsync(
        string customerId, DateTimeOffset? asOf, IQuerySession session, TimeProvider time, CancellationToken cancellationToken)
    {
        if (asOf is not { } instant)
        {
            var health = await session.LoadAsync<CustomerHealth>(customerId, cancellationToken);
            return health?.Latest is { } latest ? Results.Ok(latest.ToResponse()) : UnknownCustomer(customerId);
        }

        if (instant > time.GetUtcNow())
        {
            return Invalid("asOf", "'asOf' must not be in the future: health is known up to now.");
        }

        var facts = await session.LoadAsync<CustomerFacts>(customerId, cancellationToken);
        if (facts?.FirstOccurredAt is null)
        {
            return UnknownCustomer(customerId);
        }

        // As the facts known now say things stood then: the model version in force at that instant, and the tier and
        // stage Lifecycle had given the customer by then (the rollup keeps both, dated).
        var model = await ScoringModelStore.InForceAtAsync(session, instant, cancellationToken);
        var result = HealthEvaluation.Evaluate(facts, model, instant);
        return Results.Ok(HealthEvaluated.From(customerId, result, significant: false).ToResponse());
    }

    private static async Task<IResult> GetHistoryAsync(
        string customerId, DateTimeOffset? from, DateTimeOffset? to, IQuerySession session, CancellationToken cancellationToken)
    {
        if (from > to)
        {
            return Invalid("from", "'from' must not be after 'to'.");
        }

        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamKey == customerId && e.EventTypesAre(typeof(HealthEvaluated)))
            .OrderBy(e => e.Sequence)
            .ToListAsync(cancellationToken);
        if (events.Count == 0 && await session.LoadAsync<CustomerFacts>(customerId, cancellationToken) is null)
        {
            return UnknownCustomer(customerId);
        }

        var entries = events
            .Select(e => (Id: e.Id, Evaluated: (HealthEvaluated)e.Data))
            .Where(e => (from is null || e.Evaluated.EvaluatedAt >= from) && (to is null || e.Evaluated.EvaluatedAt <= to))
            .Select(e => e.Evaluated.ToHistoryEntry(e.Id.ToString()))
            .ToList();
        return Results.Ok(new HealthHistoryResponse(customerId, from, to, entries));
    }

    private static async Task<IResult> ListAsync(
        string? band, string? quadrant, string? tier, int? limit, int? offset, IQuerySession session, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var bandFilter = Filter<HealthBand>("band", band, errors);
        var quadrantFilter = Filter<Quadrant>("quadrant", quadrant, errors);
        var tierFilter = Filter<CustomerTier>("tier", tier, errors);
        var take = limit ?? DefaultPageSize;
        var skip = offset ?? 0;
        if (take is < 1 or > MaxPageSize)
        {
            errors["limit"] = [$"'limit' must be from 1 to {MaxPageSize}."];
        }

        if (skip < 0)
        {
            errors["offset"] = ["'offset' must not be negative."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "Invalid filter");
        }

        IQueryable<CustomerHealth> query = session.Query<CustomerHealth>().Stats(out QueryStatistics statistics).Where(h => h.Latest != null);
        if (bandFilter is { } b)
        {
            query = query.Where(h => h.Band == b);
        }

        if (quadrantFilter is { } q)
        {
            query = query.Where(h => h.Quadrant == q);
        }

        if (tierFilter is { } t)
        {
            query = query.Where(h => h.Tier == t);
        }

        var page = await query.OrderBy(h => h.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return Results.Ok(new HealthListResponse(
            (int)statistics.TotalResults, skip, take, page.Select(h => h.Latest!.ToListItem()).ToList()));
    }

    private static async Task<IResult> ReevaluateAsync(DailyHealthEvaluation evaluation, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (customers, changed) = await evaluation.ReevaluateAllAsync(now, cancellationToken);
        return Results.Ok(new HealthReevaluationResult(customers, changed, now));
    }

    private static T? Filter<T>(string name, string? text, Dictionary<string, string[]> errors) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (WireName.TryParse<T>(text, out var value))
        {
            return value;
        }

        errors[name] = [$"'{text}' is not a {name}; use one of: {string.Join(", ", WireName.All<T>())}."];
        return null;
    }

    private static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Invalid request");

    private static IResult UnknownCustomer(string customerId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown customer", detail: $"No health facts for customer '{customerId}' yet.");
}

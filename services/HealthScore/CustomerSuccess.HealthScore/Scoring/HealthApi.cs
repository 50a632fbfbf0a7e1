using CustomerSuccess.Contracts.Http;
using CustomerSuccess.ServiceDefaults;
using CustomerSuccess.ServiceDefaults.Security;
using Marten;

namespace CustomerSuccess.HealthScore.Scoring;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapV1().WithTags("Health");
        v1.MapGet("/customers/{customerId}/health", GetHealthAsync)
            .RequireAuthorization(Scopes.Read)
            .Produces<CustomerHealthResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A customer's health score with its contributions; with asOf, recomputed as of that instant.");
        return endpoints;
    }

    private static async Task<IResult> GetHealthAsync(string customerId, DateTimeOffset? asOf, IQuerySession session, CancellationToken cancellationToken)
    {
        if (asOf is { } instant)
        {
            var facts = await session.LoadAsync<CustomerFacts>(customerId, cancellationToken);
            return facts is null
                ? UnknownCustomer(customerId)
                : Results.Ok(HealthEvaluated.From(customerId, CustomerHealthEvaluator.Evaluate(facts, instant)).ToResponse());
        }

        var health = await session.LoadAsync<CustomerHealth>(customerId, cancellationToken);
        return health?.Latest is { } latest ? Results.Ok(latest.ToResponse()) : UnknownCustomer(customerId);
    }

    private static IResult UnknownCustomer(string customerId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown customer", detail: $"No health facts for customer '{customerId}' yet.");
}

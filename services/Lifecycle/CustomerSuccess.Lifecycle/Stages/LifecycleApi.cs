using CustomerSuccess.Contracts.Http;
using CustomerSuccess.ServiceDefaults;
using CustomerSuccess.ServiceDefaults.Security;
using Marten;

namespace CustomerSuccess.Lifecycle.Stages;

public static class LifecycleApi
{
    public static IEndpointRouteBuilder MapLifecycleApi(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapV1().WithTags("Lifecycle");
        v1.MapGet("/customers/{customerId}/lifecycle", GetLifecycleAsync)
            .WithName("getCustomerLifecycle")
            .RequireAuthorization(Scopes.Read)
            .Produces<CustomerLifecycleResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A customer's lifecycle stage, tier, milestones and stage history.");
        return endpoints;
    }

    private static async Task<IResult> GetLifecycleAsync(string customerId, IQuerySession session, TimeProvider time, CancellationToken cancellationToken)
    {
        var lifecycle = await session.LoadAsync<CustomerLifecycle>(customerId, cancellationToken);
        if (lifecycle is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown customer", detail: $"No lifecycle events for customer '{customerId}' yet.");
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        return Results.Ok(new CustomerLifecycleResponse(
            lifecycle.Id,
            lifecycle.Stage,
            lifecycle.StageSince,
            lifecycle.Tier,
            lifecycle.TierPinned,
            lifecycle.Milestones.OrderBy(m => m.Value).Select(m => new MilestoneResponse(m.Key, m.Value)).ToList(),
            lifecycle.DeliveryOverdue(today),
            lifecycle.StageHistory.Select(s => new StageHistoryEntry(s.Stage, s.Since, s.Reason)).ToList()));
    }
}

using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.ServiceDefaults;
using CustomerSuccess.ServiceDefaults.Security;
using Marten;

namespace CustomerSuccess.Renewal.Renewals;

public static class RenewalApi
{
    /// <summary>Days before the contract ends that the renewal window opens, by difficulty.</summary>
    private static int WindowDays(string difficulty) => difficulty switch
    {
        "very_difficult" => 180,
        "difficult" => 120,
        _ => 90,
    };

    public static IEndpointRouteBuilder MapRenewalApi(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapV1().WithTags("Renewal");
        v1.MapGet("/customers/{customerId}/renewal", GetRenewalAsync)
            .WithName("getCustomerRenewal")
            .RequireAuthorization(Scopes.Read)
            .Produces<CustomerRenewalResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A customer's current contract, renewal window, difficulty and risk.");
        return endpoints;
    }

    private static async Task<IResult> GetRenewalAsync(string customerId, IQuerySession session, TimeProvider time, CancellationToken cancellationToken)
    {
        var renewal = await session.LoadAsync<CustomerRenewal>(customerId, cancellationToken);
        if (renewal is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown customer", detail: $"No contract or invoice events for customer '{customerId}' yet.");
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var difficulty = renewal.Difficulty(today);
        int? daysToRenewal = renewal.EndsOn is { } endsOn ? endsOn.DayNumber - today.DayNumber : null;
        var windowOpensOn = renewal.EndsOn?.AddDays(-WindowDays(difficulty));
        return Results.Ok(new CustomerRenewalResponse(
            renewal.Id,
            renewal.ContractId,
            renewal.EndsOn,
            daysToRenewal,
            renewal.Arr,
            renewal.Currency,
            difficulty,
            windowOpensOn,
            Risk(renewal, difficulty, daysToRenewal)));
    }

    private static RenewalRisk Risk(CustomerRenewal renewal, string difficulty, int? daysToRenewal)
    {
        var reasons = new List<string>();
        var level = RiskLevel.Low;
        if (renewal.CancelledOn is { } cancelledOn)
        {
            return new RenewalRisk(RiskLevel.Critical, [$"contract cancelled effective {cancelledOn:yyyy-MM-dd}"]);
        }

        if (daysToRenewal is { } days and <= 90)
        {
            level = RiskLevel.Medium;
            reasons.Add(days < 0 ? $"contract ended {-days} days ago without renewal" : $"renewal due in {days} days");
            if (days < 0)
            {
                level = RiskLevel.High;
            }
        }

        if (difficulty != "smooth")
        {
            level = level == RiskLevel.Low ? RiskLevel.Medium : RiskLevel.High;
            reasons.Add($"renewal difficulty: {difficulty.Replace('_', ' ')} (late payments)");
        }

        return new RenewalRisk(level, reasons);
    }
}

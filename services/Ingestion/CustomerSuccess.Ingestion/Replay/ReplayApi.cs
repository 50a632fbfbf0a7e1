using CustomerSuccess.ServiceDefaults;
using CustomerSuccess.ServiceDefaults.Security;

namespace CustomerSuccess.Ingestion.Replay;

public static class ReplayApi
{
    public static IEndpointRouteBuilder MapReplayApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapV1().WithTags("Operations")
            .MapPost("/admin/replay", ReplayAsync)
            .WithName("replayEventLog")
            .RequireAuthorization(Scopes.Admin)
            .Produces<ReplayResult>()
            .ProducesValidationProblem()
            .WithSummary("Re-feeds one service from the event log: all events, one customer's, or from a log position on. Idempotent downstream.");
        return endpoints;
    }

    private static async Task<IResult> ReplayAsync(ReplayRequest request, LogReplay replay, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Service) || !replay.Services.Contains(request.Service, StringComparer.OrdinalIgnoreCase))
        {
            errors["service"] = [$"Must be one of: {string.Join(", ", replay.Services)}."];
        }

        if (request.FromPosition is < 0)
        {
            errors["fromPosition"] = ["Must be 0 or more."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "Invalid replay request");
        }

        return Results.Ok(await replay.ReplayAsync(request, cancellationToken));
    }
}

using CustomerSuccess.Contracts.Http;
using CustomerSuccess.HealthScore.ScoringModels;
using CustomerSuccess.ServiceDefaults;
using CustomerSuccess.ServiceDefaults.Security;
using Marten;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.HealthScore.Simulation;

public static class SimulationApi
{
    public static IEndpointRouteBuilder MapSimulationApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapV1().WithTags("Scoring model")
            .MapPost("/scoring-model/simulate", SimulateAsync)
            .WithName("simulateScoringModel")
            .RequireAuthorization(Scopes.Admin)
            .Produces<ScoringSimulationResponse>()
            .ProducesValidationProblem()
            .WithSummary("Scores customers with a candidate model next to the current one, and backtests both against known renewals and churns. Changes nothing.");
        return endpoints;
    }

    private static async Task<IResult> SimulateAsync(
        ScoringSimulationRequest request, IQuerySession session, IOptions<JsonOptions> json, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var asOf = request.AsOf ?? now;
        var daysBefore = request.BacktestDaysBefore ?? ModelSimulation.DefaultBacktestDaysBefore;
        var errors = new Dictionary<string, string[]>();
        var current = await ScoringModelStore.CurrentAsync(session, cancellationToken);
        var candidate = ScoringModelJson.Read(request.Model, json.Value.SerializerOptions, "model", out var readErrors) is { } model
            ? model with { Version = current.Version + 1 }
            : null;
        var modelErrors = readErrors ?? (candidate is null ? null : ScoringModelJson.Validate(candidate, "model"));
        foreach (var (field, messages) in modelErrors ?? [])
        {
            errors[field] = messages;
        }

        if (request.CustomerIds is { } ids && (ids.Count is 0 or > ModelSimulation.MaxCustomerIds || ids.Any(string.IsNullOrWhiteSpace)))
        {
            errors["customerIds"] = [$"'customerIds' must name 1 to {ModelSimulation.MaxCustomerIds} customers, none blank; leave it out to simulate all."];
        }

        if (asOf > now)
        {
            errors["asOf"] = ["'asOf' must not be in the future."];
        }

        if (daysBefore is < 1 or > 365)
        {
            errors["backtestDaysBefore"] = ["'backtestDaysBefore' must be from 1 to 365."];
        }

        if (errors.Count > 0 || candidate is null)
        {
            return Results.ValidationProblem(errors, title: "Invalid simulation");
        }

        return Results.Ok(await ModelSimulation.RunAsync(session, current, candidate, request.CustomerIds, asOf, daysBefore, cancellationToken));
    }
}

using System.Globalization;
using System.Text.Json;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.HealthScore.Domain;
using CustomerSuccess.ServiceDefaults;
using CustomerSuccess.ServiceDefaults.Security;
using JasperFx;
using Marten;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.HealthScore.ScoringModels;

public static class ScoringModelApi
{
    public static IEndpointRouteBuilder MapScoringModelApi(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapV1().WithTags("Scoring model");
        v1.MapGet("/scoring-model", GetCurrentAsync)
            .WithName("getScoringModel")
            .RequireAuthorization(Scopes.Read)
            .Produces<ScoringModel>()
            .WithSummary("The scoring model evaluations use now (ETag: its version). PUT it back, changed, to adopt a new version.");
        v1.MapPut("/scoring-model", AdoptAsync)
            .WithName("adoptScoringModel")
            .RequireAuthorization(Scopes.Admin)
            .Accepts<ScoringModel>("application/json")
            .Produces<ScoringModel>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithSummary("Validates the model and stores it as the next version (latest + 1). Later evaluations use it; stored history is never rewritten. If-Match: \"<version>\" guards against a concurrent change.");
        v1.MapGet("/scoring-model/versions", ListVersionsAsync)
            .WithName("listScoringModelVersions")
            .RequireAuthorization(Scopes.Read)
            .Produces<IReadOnlyList<ScoringModelVersionInfo>>()
            .WithSummary("Every version of the scoring model, oldest first (version 1 is the built-in default).");
        v1.MapGet("/scoring-model/versions/{version:int}", GetVersionAsync)
            .WithName("getScoringModelVersion")
            .RequireAuthorization(Scopes.Read)
            .Produces<ScoringModel>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One version of the scoring model.");
        return endpoints;
    }

    private static async Task<IResult> GetCurrentAsync(HttpContext context, IQuerySession session, CancellationToken cancellationToken)
    {
        var model = await ScoringModelStore.CurrentAsync(session, cancellationToken);
        context.Response.Headers.ETag = ETagOf(model.Version);
        return Results.Ok(model);
    }

    private static async Task<IResult> AdoptAsync(
        HttpContext context, IDocumentSession session, IOptions<JsonOptions> json, TimeProvider time, CurrentScoringModel models, CancellationToken cancellationToken)
    {
        if (!context.Request.HasJsonContentType())
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", detail: "Send the scoring model as application/json.");
        }

        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, json.Value.SerializerOptions, cancellationToken);
        }
        catch (JsonException exception)
        {
            return Results.ValidationProblem(ScoringModelJson.Problems("model", exception.Message), title: "Invalid scoring model");
        }

        var model = ScoringModelJson.Read(body, json.Value.SerializerOptions, "model", out var readErrors);
        if (model is null)
        {
            return Results.ValidationProblem(readErrors!, title: "Invalid scoring model");
        }

        var current = await ScoringModelStore.CurrentAsync(session, cancellationToken);
        var ifMatch = context.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0 && ifMatch != "*" && ifMatch != ETagOf(current.Version))
        {
            return Results.Problem(
                statusCode: StatusCodes.Status412PreconditionFailed, title: "Scoring model changed",
                detail: $"The current scoring model is version {current.Version}, not {ifMatch}. GET it again and re-apply your change.");
        }

        // The version is the store's to give: whatever the body says, the new model is the next one.
        var candidate = model with { Version = current.Version + 1 };
        if (ScoringModelJson.Validate(candidate, "model") is { } errors)
        {
            return Results.ValidationProblem(errors, title: "Invalid scoring model");
        }

        ScoringModelStore.Adopt(session, candidate, time.GetUtcNow(), context.User.Identity?.Name);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (DocumentAlreadyExistsException)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status409Conflict, title: "Scoring model changed",
                detail: $"Version {candidate.Version} was adopted by another request at the same time. GET the model again and retry.");
        }

        models.Adopted(candidate);
        context.Response.Headers.ETag = ETagOf(candidate.Version);
        return Results.Created($"/v1/scoring-model/versions/{candidate.Version}", candidate);
    }

    private static async Task<IResult> ListVersionsAsync(IQuerySession session, CancellationToken cancellationToken) =>
        Results.Ok(await ScoringModelStore.VersionsAsync(session, cancellationToken));

    private static async Task<IResult> GetVersionAsync(int version, IQuerySession session, CancellationToken cancellationToken) =>
        await ScoringModelStore.VersionAsync(session, version, cancellationToken) is { } model
            ? Results.Ok(model)
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown scoring model version", detail: $"There is no scoring model version {version}.");

    private static string ETagOf(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";
}

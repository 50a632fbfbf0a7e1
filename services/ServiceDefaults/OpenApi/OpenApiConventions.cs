using System.Globalization;
using System.Text;
using CustomerSuccess.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace CustomerSuccess.ServiceDefaults.OpenApi;

/// <summary>
/// A request body documented in OpenAPI without routing acting on it. <c>.Accepts(...)</c> makes routing answer 415 for
/// another media type before authentication and authorization run; an endpoint that checks its own media type uses
/// this instead, so an unauthenticated caller gets 401 and a caller without the scope 403.
/// </summary>
public sealed record DocumentedRequestBody(Type Type, IReadOnlyList<string> ContentTypes, string Description);

public static class OpenApiEndpointExtensions
{
    /// <summary>Documents the request body as <typeparamref name="TBody"/> in <paramref name="contentTypes"/>; see <see cref="DocumentedRequestBody"/>.</summary>
    public static RouteHandlerBuilder DocumentsRequestBody<TBody>(this RouteHandlerBuilder builder, string description, params string[] contentTypes) =>
        builder.WithMetadata(new DocumentedRequestBody(typeof(TBody), contentTypes, description));
}

/// <summary>
/// What every operation of every service says the same way: an operationId (derived from method and route when
/// the endpoint has no <c>.WithName(...)</c>), the documented request body, and for each endpoint that needs an
/// API key its 401, 403 and 429 problem responses.
/// </summary>
internal sealed class CommonOperationResponses : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        operation.OperationId ??= DerivedOperationId(context.ApiDescription);

        if (operation.RequestBody is null && metadata.OfType<DocumentedRequestBody>().LastOrDefault() is { } body)
        {
            var schema = context.SchemaGenerator.GenerateSchema(body.Type, context.SchemaRepository);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = body.Description,
                Content = body.ContentTypes.ToDictionary(type => type, IOpenApiMediaType (_) => new OpenApiMediaType { Schema = schema }),
            };
        }

        var needsKey = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        if (!needsKey)
        {
            return;
        }

        operation.Responses ??= [];
        AddProblem(operation, context, StatusCodes.Status401Unauthorized,
            $"No API key, or one that is not configured. Send it as 'Authorization: Bearer <key>' or '{ApiKeyAuthenticationHandler.HeaderName}: <key>'.");
        AddProblem(operation, context, StatusCodes.Status403Forbidden, "The API key lacks the scope this endpoint needs.");
        var tooMany = AddProblem(operation, context, StatusCodes.Status429TooManyRequests, "The API key's rate limit is spent; retry after Retry-After seconds.");
        if (tooMany is OpenApiResponse response)
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers.TryAdd("Retry-After", new OpenApiHeader
            {
                Description = "Seconds to wait before retrying.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
            });
        }
    }

    private static IOpenApiResponse AddProblem(OpenApiOperation operation, OperationFilterContext context, int status, string description)
    {
        var code = status.ToString(CultureInfo.InvariantCulture);
        if (operation.Responses!.TryGetValue(code, out var existing))
        {
            return existing;
        }

        var response = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["application/problem+json"] = new OpenApiMediaType { Schema = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository) },
            },
        };
        operation.Responses[code] = response;
        return response;
    }

    /// <summary><c>GET /v1/admin/dead-letters/{queue}</c> → <c>getAdminDeadLettersQueue</c>.</summary>
    internal static string DerivedOperationId(ApiDescription description)
    {
        var id = new StringBuilder((description.HttpMethod ?? "get").ToLowerInvariant());
        var segments = (description.RelativePath ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1);
        foreach (var segment in segments)
        {
            foreach (var word in segment.Trim('{', '}').Split(':')[0].Split('-', '_', '.'))
            {
                if (word.Length > 0)
                {
                    id.Append(char.ToUpperInvariant(word[0])).Append(word.AsSpan(1));
                }
            }
        }

        return id.ToString();
    }
}

/// <summary>The document-level parts: licence, description, and a description for each tag the operations use.</summary>
internal sealed class CommonDocumentParts : IDocumentFilter
{
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Events"] = "Posting customer events: one envelope, a batch of up to 1000, or an NDJSON backfill (ingest scope).",
        ["Health"] = "Health scores with their contributions, history and lists (read scope); re-evaluation (admin).",
        ["Scoring model"] = "The versioned scoring model: read it, adopt a new version, simulate a candidate over stored history.",
        ["Lifecycle"] = "Lifecycle stages, tiers and milestones per customer.",
        ["Renewal"] = "Contracts, renewal windows, difficulty and risk per customer.",
        ["Operations"] = "Dead letters and replays for platform engineers (admin scope).",
    };

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        // The project's licence (the repository has no LICENSE file; Apache-2.0 is what the README's dependencies
        // section and MassTransit's choice point to). OpenAPI 3.1 allows url or identifier, not both.
        document.Info.License = new OpenApiLicense { Name = "Apache-2.0", Url = new Uri("https://www.apache.org/licenses/LICENSE-2.0") };
        document.Info.Description ??= "Part of CustomerSuccess, a self-hosted, event-sourced customer-health platform. "
            + "Every /v1 endpoint needs an API key with the scope it names (ingest, read or admin); errors are RFC 7807 problem details.";

        var used = document.Paths.Values
            .SelectMany(path => path.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>())
            .SelectMany(operation => operation.Tags ?? new HashSet<OpenApiTagReference>())
            .Select(tag => tag.Name)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        document.Tags = new HashSet<OpenApiTag>(used.Select(name => new OpenApiTag
        {
            Name = name,
            Description = TagDescriptions.GetValueOrDefault(name, $"The {name} endpoints."),
        }));
    }
}

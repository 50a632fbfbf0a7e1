using System.Text.Json;
using CustomerSuccess.CrmFeed.Envelopes;
using CustomerSuccess.CrmFeed.Store;
using CustomerSuccess.ServiceDefaults;
using CustomerSuccess.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.CrmFeed.Feed;

/// <summary>A page of the pull feed: CloudEvents, and the cursor to continue after them.</summary>
public sealed record FeedResponse(IReadOnlyList<JsonElement> Events, string Next);

/// <summary><c>GET /v1/feed</c>: the CRM feed in feed order, for integrations that can neither bind a queue nor receive webhooks.</summary>
public static class FeedApi
{
    public const int DefaultPageSize = 100;

    public static IEndpointRouteBuilder MapFeedApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapV1().WithTags("CRM feed")
            .MapGet("/feed", ReadAsync)
            .WithName("getCrmFeed")
            .RequireAuthorization(Scopes.Read)
            .WithSummary("CRM feed events after a cursor")
            .WithDescription("CloudEvents in a stable order (the order the feed stored them), the same bytes as on the exchange and the webhooks. "
                             + "Pass `next` as `after` to continue; with no new events it comes back unchanged.")
            .Produces<FeedResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return endpoints;
    }

    private static async Task ReadAsync(
        HttpContext context, FeedStore feed, IOptions<CrmFeedOptions> options,
        string? after, string? types, string? customerId, int? limit, CancellationToken cancellationToken)
    {
        var position = FeedCursor.Decode(after);
        var typeList = (types ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = typeList.FirstOrDefault(t => !CrmEventTypes.IsKnown(t));
        var max = options.Value.MaxPageSize;
        var problem = position is null ? "after is not a cursor returned by this feed."
            : unknown is not null ? $"types: '{unknown}' is not one of {string.Join(", ", CrmEventTypes.All)}."
            : limit is < 1 || limit > max ? $"limit must be between 1 and {max}."
            : customerId is { Length: 0 or > 200 } ? "customerId must be 1 to 200 characters."
            : null;
        if (problem is not null)
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid feed query", detail: problem).ExecuteAsync(context);
            return;
        }

        var page = await feed.ReadAsync(position!.Value, typeList, customerId, limit ?? DefaultPageSize, cancellationToken);

        // The stored bytes are written as they are, so the feed serves exactly what the exchange and the webhooks carry.
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteStartArray("events");
        foreach (var body in page.Events)
        {
            json.WriteRawValue(body.Span, skipInputValidation: true);
        }

        json.WriteEndArray();
        json.WriteString("next", FeedCursor.Encode(page.LastPosition));
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }
}

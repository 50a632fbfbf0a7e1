using CustomerSuccess.CrmFeed.Envelopes;
using CustomerSuccess.CrmFeed.Store;
using CustomerSuccess.ServiceDefaults;
using CustomerSuccess.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.CrmFeed.Webhooks;

/// <summary>Body of <c>POST /v1/webhooks</c>: the receiver, the event types it wants (empty: all), a note for operators.</summary>
public sealed record WebhookRegistration(string? Url, IReadOnlyList<string>? Types, string? Description);

/// <summary>Body of <c>POST /v1/webhooks/{id}/recover</c>.</summary>
public sealed record WebhookRecovery(DateTimeOffset? Since);

/// <summary>The webhook endpoints (<c>admin</c> scope): registration, secrets, delivery log, re-sends.</summary>
public static class WebhookApi
{
    public const int MaxDescriptionLength = 500;
    public const int MaxDeliveriesListed = 1000;

    public static IEndpointRouteBuilder MapWebhookApi(this IEndpointRouteBuilder endpoints)
    {
        var webhooks = endpoints.MapV1().MapGroup("/webhooks").WithTags("CRM webhooks").RequireAuthorization(Scopes.Admin);
        webhooks.MapPost("/", RegisterAsync).WithSummary("Registers a receiver; the answer carries its secret, shown only here.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        webhooks.MapGet("/", async (WebhookStore store, CancellationToken ct) => Results.Ok(await store.ListAsync(ct)));
        webhooks.MapGet("/{id}", async (string id, WebhookStore store, CancellationToken ct) =>
            await store.GetAsync(id, ct) is { } webhook ? Results.Ok(webhook) : Unknown(id));
        webhooks.MapDelete("/{id}", async (string id, WebhookStore store, CancellationToken ct) =>
            await store.DeleteAsync(id, ct) ? Results.NoContent() : Unknown(id));
        webhooks.MapPost("/{id}/enable", async (string id, WebhookStore store, CancellationToken ct) =>
            await store.EnableAsync(id, ct) && await store.GetAsync(id, ct) is { } webhook ? Results.Ok(webhook) : Unknown(id));
        webhooks.MapPost("/{id}/test", async (string id, WebhookStore store, TimeProvider clock, IOptions<CrmFeedOptions> options, CancellationToken ct) =>
            await store.SendTestAsync(id, options.Value.Service, clock.GetUtcNow(), ct) switch
            {
                (WebhookChange.Done, var eventId) => Results.Accepted(value: new { eventId }),
                (WebhookChange.Disabled, _) => Disabled(id),
                _ => Unknown(id),
            }).WithSummary("Sends a customersuccess.webhook.test.v1 event to this endpoint only.");
        webhooks.MapPost("/{id}/rotate-secret", async (string id, WebhookStore store, TimeProvider clock, IOptions<CrmFeedOptions> options, CancellationToken ct) =>
            await store.RotateSecretAsync(id, options.Value.SecretRotationOverlap, clock.GetUtcNow(), ct) is { } issued ? Results.Ok(issued) : Unknown(id))
            .WithSummary("Issues a new secret (shown only here); the previous one stays valid, and signed with, for the configured overlap.");
        webhooks.MapGet("/{id}/deliveries", DeliveriesAsync).ProducesProblem(StatusCodes.Status400BadRequest);
        webhooks.MapPost("/{id}/deliveries/{eventId}/retry", async (string id, string eventId, WebhookStore store, TimeProvider clock, CancellationToken ct) =>
            await store.RetryAsync(id, eventId, clock.GetUtcNow(), ct) switch
            {
                WebhookChange.Done => Results.Accepted(),
                WebhookChange.Disabled => Disabled(id),
                _ => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown delivery", detail: $"No delivery of '{eventId}' to webhook '{id}'."),
            });
        webhooks.MapPost("/{id}/recover", RecoverAsync).ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Queues again every failed delivery of events stored since an instant.");
        return endpoints;
    }

    private static async Task<IResult> RegisterAsync(
        WebhookRegistration? registration, WebhookStore store, TimeProvider clock, IOptions<CrmFeedOptions> options, CancellationToken cancellationToken)
    {
        var types = registration?.Types ?? [];
        var problem = options.Value.UrlPolicy().Problem(registration?.Url)
            ?? (types.FirstOrDefault(t => !CrmEventTypes.IsKnown(t)) is { } unknown ? $"types: '{unknown}' is not one of {string.Join(", ", CrmEventTypes.All)}." : null)
            ?? (registration?.Description is { Length: > MaxDescriptionLength } ? $"description must be at most {MaxDescriptionLength} characters." : null);
        if (problem is not null)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid webhook", detail: problem);
        }

        var issued = await store.RegisterAsync(registration!.Url!, types.Distinct(StringComparer.Ordinal).ToArray(), registration.Description, clock.GetUtcNow(), cancellationToken);
        return Results.Created($"/v1/webhooks/{issued.Id}", new { id = issued.Id, secret = issued.Secret });
    }

    private static async Task<IResult> DeliveriesAsync(string id, string? status, int? limit, WebhookStore store, CancellationToken cancellationToken)
    {
        if (status is not null && !DeliveryStatus.All.Contains(status))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid status", detail: "status must be pending, delivered or failed.");
        }

        if (limit is < 1 or > MaxDeliveriesListed)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit", detail: $"limit must be between 1 and {MaxDeliveriesListed}.");
        }

        return await store.DeliveriesAsync(id, status, limit ?? 100, cancellationToken) is { } deliveries ? Results.Ok(deliveries) : Unknown(id);
    }

    private static async Task<IResult> RecoverAsync(string id, WebhookRecovery? recovery, WebhookStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (recovery?.Since is not { } since)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid recovery", detail: "since (an RFC 3339 instant) is required.");
        }

        return await store.RecoverAsync(id, since, clock.GetUtcNow(), cancellationToken) switch
        {
            (WebhookChange.Done, var requeued) => Results.Accepted(value: new { requeued }),
            (WebhookChange.Disabled, _) => Disabled(id),
            _ => Unknown(id),
        };
    }

    private static IResult Unknown(string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown webhook", detail: $"No webhook '{id}'.");

    private static IResult Disabled(string id) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Webhook disabled", detail: $"Webhook '{id}' is disabled; enable it first.");
}

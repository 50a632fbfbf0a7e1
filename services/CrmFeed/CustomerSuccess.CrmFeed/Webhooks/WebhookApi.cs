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

/// <summary>Answer of <c>POST /v1/webhooks/{id}/test</c>: the test event's id (its <c>webhook-id</c>).</summary>
public sealed record WebhookTestQueued(string EventId);

/// <summary>Answer of <c>POST /v1/webhooks/{id}/recover</c>: how many failed deliveries were queued again.</summary>
public sealed record WebhookRecoveryQueued(int Requeued);

/// <summary>The webhook endpoints (<c>admin</c> scope): registration, secrets, delivery log, re-sends.</summary>
public static class WebhookApi
{
    public const int MaxDescriptionLength = 500;
    public const int MaxDeliveriesListed = 1000;

    public static IEndpointRouteBuilder MapWebhookApi(this IEndpointRouteBuilder endpoints)
    {
        var webhooks = endpoints.MapV1().MapGroup("/webhooks").WithTags("CRM webhooks").RequireAuthorization(Scopes.Admin);
        webhooks.MapPost("/", RegisterAsync)
            .WithName("registerWebhook")
            .WithSummary("Registers a webhook receiver")
            .WithDescription("The answer carries the endpoint's signing secret (`whsec_…`), shown only here and on rotation.")
            .Produces<WebhookSecretIssued>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        webhooks.MapGet("/", async (WebhookStore store, CancellationToken ct) => Results.Ok(await store.ListAsync(ct)))
            .WithName("listWebhooks").WithSummary("Lists the webhook endpoints (never their secrets)")
            .Produces<IReadOnlyList<Webhook>>();
        webhooks.MapGet("/{id}", async (string id, WebhookStore store, CancellationToken ct) =>
                await store.GetAsync(id, ct) is { } webhook ? Results.Ok(webhook) : Unknown(id))
            .WithName("getWebhook").WithSummary("One webhook endpoint")
            .Produces<Webhook>().ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapDelete("/{id}", async (string id, WebhookStore store, CancellationToken ct) =>
                await store.DeleteAsync(id, ct) ? Results.NoContent() : Unknown(id))
            .WithName("deleteWebhook").WithSummary("Deletes a webhook endpoint and its delivery log")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPost("/{id}/enable", async (string id, WebhookStore store, CancellationToken ct) =>
                await store.EnableAsync(id, ct) && await store.GetAsync(id, ct) is { } webhook ? Results.Ok(webhook) : Unknown(id))
            .WithName("enableWebhook").WithSummary("Enables a disabled endpoint (its failed deliveries stay failed until recovered)")
            .Produces<Webhook>().ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPost("/{id}/test", async (string id, WebhookStore store, TimeProvider clock, IOptions<CrmFeedOptions> options, CancellationToken ct) =>
                await store.SendTestAsync(id, options.Value.Service, clock.GetUtcNow(), ct) switch
                {
                    (WebhookChange.Done, var eventId) => Results.Accepted(value: new WebhookTestQueued(eventId!)),
                    (WebhookChange.Disabled, _) => Disabled(id),
                    _ => Unknown(id),
                })
            .WithName("testWebhook").WithSummary("Sends a customersuccess.webhook.test.v1 event to this endpoint only")
            .Produces<WebhookTestQueued>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        webhooks.MapPost("/{id}/rotate-secret", async (string id, WebhookStore store, TimeProvider clock, IOptions<CrmFeedOptions> options, CancellationToken ct) =>
                await store.RotateSecretAsync(id, options.Value.SecretRotationOverlap, clock.GetUtcNow(), ct) is { } issued ? Results.Ok(issued) : Unknown(id))
            .WithName("rotateWebhookSecret").WithSummary("Issues a new signing secret")
            .WithDescription("The new secret is shown only here; the previous one stays valid, and every delivery is signed with both, for the configured overlap.")
            .Produces<WebhookSecretIssued>().ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapGet("/{id}/deliveries", DeliveriesAsync)
            .WithName("listWebhookDeliveries").WithSummary("The endpoint's deliveries, newest first, each with every attempt")
            .Produces<IReadOnlyList<Delivery>>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPost("/{id}/deliveries/{eventId}/retry", async (string id, string eventId, WebhookStore store, TimeProvider clock, CancellationToken ct) =>
                await store.RetryAsync(id, eventId, clock.GetUtcNow(), ct) switch
                {
                    WebhookChange.Done => Results.Accepted(),
                    WebhookChange.Disabled => Disabled(id),
                    _ => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown delivery", detail: $"No delivery of '{eventId}' to webhook '{id}'."),
                })
            .WithName("retryWebhookDelivery").WithSummary("Sends one delivery again now, with a fresh retry schedule")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        webhooks.MapPost("/{id}/recover", RecoverAsync)
            .WithName("recoverWebhookDeliveries").WithSummary("Queues again every failed delivery of events stored since an instant")
            .Produces<WebhookRecoveryQueued>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
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
        return Results.Created($"/v1/webhooks/{issued.Id}", issued);
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
            (WebhookChange.Done, var requeued) => Results.Accepted(value: new WebhookRecoveryQueued(requeued)),
            (WebhookChange.Disabled, _) => Disabled(id),
            _ => Unknown(id),
        };
    }

    private static IResult Unknown(string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown webhook", detail: $"No webhook '{id}'.");

    private static IResult Disabled(string id) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Webhook disabled", detail: $"Webhook '{id}' is disabled; enable it first.");
}

using System.Text.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.Lifecycle.Domain;
using CustomerSuccess.Lifecycle.Stages;
using CustomerSuccess.ServiceDefaults;
using CustomerSuccess.ServiceDefaults.Security;
using JasperFx;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.Lifecycle.Tiers;

/// <summary>A CSM pins a customer's tier with a reason, or removes the pin; both are events in the tier history.</summary>
public static class TierPinApi
{
    public const int MaxReasonLength = 500;

    /// <summary>Attempts when a consumer or the daily run wrote to the customer's stream at the same moment.</summary>
    private const int Attempts = 3;

    public static IEndpointRouteBuilder MapTierPinApi(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapV1().WithTags("Lifecycle");
        v1.MapPut("/customers/{customerId}/tier", PinAsync)
            .RequireAuthorization(Scopes.Admin)
            .WithName("pinCustomerTier")
            .Accepts<TierPinRequest>("application/json")
            .Produces<CustomerLifecycleResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Pins the customer's tier (standard, high_potential, key_account) with a required reason; the calibrated tier no longer applies until unpinned.");
        v1.MapDelete("/customers/{customerId}/tier", UnpinAsync)
            .RequireAuthorization(Scopes.Admin)
            .WithName("unpinCustomerTier")
            .Produces<CustomerLifecycleResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Removes the pin (optional ?reason=): the calibrated tier applies again.");
        return endpoints;
    }

    private static async Task<IResult> PinAsync(
        string customerId, HttpRequest request, IDocumentStore store, IOptions<LifecycleSettings> settings, TimeProvider time, CancellationToken cancellationToken)
    {
        var (pin, errors) = await ReadPinAsync(request, cancellationToken);
        if (pin is null)
        {
            return Results.ValidationProblem(errors, title: "Invalid tier pin");
        }

        var now = time.GetUtcNow();
        return await RecordAsync(customerId, store, settings.Value, now, _ => new TierPinned(pin.Tier, pin.Reason.Trim(), now), cancellationToken);
    }

    private static Task<IResult> UnpinAsync(
        string customerId, string? reason, IDocumentStore store, IOptions<LifecycleSettings> settings, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var why = string.IsNullOrWhiteSpace(reason) ? "pin removed" : reason.Trim()[..Math.Min(reason.Trim().Length, MaxReasonLength)];
        return RecordAsync(customerId, store, settings.Value, now, view => view.TierPinned ? new TierUnpinned(why, now) : null, cancellationToken);
    }

    private static async Task<IResult> RecordAsync(
        string customerId, IDocumentStore store, LifecycleSettings settings, DateTimeOffset now, Func<LifecycleView, object?> factFor, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var session = store.LightweightSession();
                var history = await session.LoadAsync<LifecycleHistory>(customerId, cancellationToken);
                var current = history is null ? null : LifecycleTimeline.Derive(history, settings, now);
                if (current?.Stage is null)
                {
                    return LifecycleApi.UnknownCustomer(customerId);
                }

                if (factFor(current) is not { } fact)
                {
                    return Results.Ok(current.ToResponse());
                }

                var views = await LifecycleRecorder.RecordAsync(session, [new NewLifecycleFacts(customerId, [fact])], settings, now, cancellationToken);
                await session.SaveChangesAsync(cancellationToken);
                return Results.Ok(views[0].ToResponse());
            }
            catch (Exception exception) when (attempt < Attempts && exception is ConcurrencyException or EventStreamUnexpectedMaxEventIdException)
            {
                // Another writer appended to the stream meanwhile; decide again from what is stored now.
            }
        }
    }

    /// <summary>Reads <c>{"tier": "...", "reason": "..."}</c>; any problem is reported under the field it concerns.</summary>
    private static async Task<(TierPinRequest? Pin, Dictionary<string, string[]> Errors)> ReadPinAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException exception)
        {
            errors["body"] = [$"The body is not JSON: {exception.Message}"];
            return (null, errors);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors["body"] = ["The body must be a JSON object: {\"tier\": \"high_potential\", \"reason\": \"...\"}."];
                return (null, errors);
            }

            var tiers = string.Join(", ", LifecycleResponses.WireNames<CustomerTier>());
            CustomerTier tier = default;
            if (!document.RootElement.TryGetProperty("tier", out var tierElement) || tierElement.ValueKind != JsonValueKind.String)
            {
                errors["tier"] = [$"'tier' is required: one of {tiers}."];
            }
            else if (!LifecycleResponses.TryParseWire(tierElement.GetString()!, out tier))
            {
                errors["tier"] = [$"'{tierElement.GetString()}' is not a tier; use one of {tiers}."];
            }

            string? reason = null;
            if (!document.RootElement.TryGetProperty("reason", out var reasonElement) || reasonElement.ValueKind != JsonValueKind.String
                || string.IsNullOrWhiteSpace(reason = reasonElement.GetString()))
            {
                errors["reason"] = ["'reason' is required: why the CSM pins this tier."];
            }
            else if (reason.Length > MaxReasonLength)
            {
                errors["reason"] = [$"'reason' must be at most {MaxReasonLength} characters."];
            }

            return errors.Count > 0 ? (null, errors) : (new TierPinRequest(tier, reason!), errors);
        }
    }
}

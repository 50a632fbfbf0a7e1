using System.Globalization;
using System.Text;
using System.Text.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.Renewal.Domain;
using CustomerSuccess.Renewal.Health;
using CustomerSuccess.ServiceDefaults;
using CustomerSuccess.ServiceDefaults.Security;
using Marten;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.Renewal.Renewals;

/// <summary>
/// Renewal queries, served from the per-customer <see cref="CustomerRenewal"/> documents (never by replaying streams); what
/// depends on today (days to renewal, window, difficulty, risk) is computed from the document as of now.
/// </summary>
public static class RenewalApi
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;
    public const int MaxDueWithinDays = 3650;

    public static IEndpointRouteBuilder MapRenewalApi(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapV1().WithTags("Renewal");
        v1.MapGet("/customers/{customerId}/renewal", GetRenewalAsync)
            .WithName("getCustomerRenewal")
            .RequireAuthorization(Scopes.Read)
            .WithName("getCustomerRenewal")
            .Produces<CustomerRenewalResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A customer's contracts, current contract, renewal window, difficulty with evidence and risk with reasons; healthDetail=false skips HealthScore's contributions.");
        v1.MapGet("/renewals", ListRenewalsAsync)
            .RequireAuthorization(Scopes.Read)
            .WithName("listRenewals")
            .Produces<RenewalListResponse>()
            .ProducesValidationProblem()
            .WithSummary("The renewal worklist sorted by days to renewal (customers whose contracts stopped more than Renewal:WorklistStoppedDays ago left out), filtered by dueWithinDays, risk (low/medium/high/critical) and tier; cursor-paged with after.");
        v1.MapGet("/portfolio/metrics", GetMetricsAsync)
            .RequireAuthorization(Scopes.Read)
            .WithName("getPortfolioMetrics")
            .Produces<PortfolioMetricsResponse>()
            .ProducesValidationProblem()
            .WithSummary("GRR, NRR, logo churn, renewal rate, expansion/contraction/churned/new ARR, ARR at risk and tier × band distribution per currency over [from, to).");
        return endpoints;
    }

    private static async Task<IResult> GetRenewalAsync(
        string customerId, string? healthDetail, IQuerySession session, TimeProvider time, IOptions<RenewalSettings> settings,
        HealthDetailReader healthReader, CancellationToken cancellationToken)
    {
        bool withHealth = true;
        if (healthDetail is not null && !bool.TryParse(healthDetail, out withHealth))
        {
            return Invalid("healthDetail", "'healthDetail' must be true or false.");
        }

        var facts = await session.LoadAsync<CustomerRenewal>(customerId, cancellationToken);
        if (facts is null || facts.Contracts.Count == 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown customer", detail: $"No contract events for customer '{customerId}' yet.");
        }

        var now = time.GetUtcNow();
        var detail = withHealth ? await healthReader.ReadAsync(customerId, cancellationToken) : null;
        return Results.Ok(RenewalResponses.Customer(facts, settings.Value, now, detail));
    }

    private static async Task<IResult> ListRenewalsAsync(
        string? dueWithinDays, string? risk, string? tier, string? limit, string? after,
        IQuerySession session, TimeProvider time, IOptions<RenewalSettings> settings, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        int? within = null;
        if (dueWithinDays is not null)
        {
            if (int.TryParse(dueWithinDays, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days <= MaxDueWithinDays)
            {
                within = days;
            }
            else
            {
                errors["dueWithinDays"] = [$"'dueWithinDays' must be a whole number of days from 0 to {MaxDueWithinDays}."];
            }
        }

        var riskFilter = RenewalDecider.ParseLevel(risk);
        if (risk is not null && riskFilter is null)
        {
            errors["risk"] = ["'risk' must be low, medium, high or critical."];
        }

        var tierFilter = ParseTier(tier);
        if (tier is not null && tierFilter is null)
        {
            errors["tier"] = ["'tier' must be standard, high_potential or key_account."];
        }

        var pageSize = DefaultPageSize;
        if (limit is not null && !(int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) && pageSize is >= 1 and <= MaxPageSize))
        {
            errors["limit"] = [$"'limit' must be from 1 to {MaxPageSize}."];
        }

        var afterKey = after is null ? null : DecodeCursor(after);
        if (after is not null && afterKey is null)
        {
            errors["after"] = ["'after' must be the 'next' cursor of a previous page."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "Invalid filter");
        }

        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        // string.Compare is what Marten translates into SQL's own comparison of the key column, which is also what orders
        // the page: the culture rule of CA1309 is about in-memory comparison and does not apply to the translated query.
#pragma warning disable CA1309
        // A customer is listed by when its current contract stops; one that stopped longer ago than the setting is lost.
        var stoppedSince = Key(today.AddDays(-settings.Value.WorklistStoppedDays), "");
        IQueryable<CustomerRenewal> query = session.Query<CustomerRenewal>().Where(f => f.WorklistKey != null && string.Compare(f.WorklistKey, stoppedSince) >= 0);
        if (within is { } w)
        {
            // Every key of a day sorts before the bare key of the next day.
            var nextDay = Key(today.AddDays(w + 1), "");
            query = query.Where(f => string.Compare(f.WorklistKey, nextDay) < 0);
        }

        if (riskFilter is { } level)
        {
            query = query.Where(f => f.RiskLevel == level);
        }

        if (tierFilter is { } t)
        {
            query = query.Where(f => f.Tier == t);
        }

        if (afterKey is not null)
        {
            query = query.Where(f => string.Compare(f.WorklistKey, afterKey) > 0);
        }
#pragma warning restore CA1309

        var page = await query.OrderBy(f => f.WorklistKey).Take(pageSize + 1).ToListAsync(cancellationToken);
        var items = page.Take(pageSize).Select(f => RenewalResponses.ListItem(f, settings.Value, today)).ToList();
        var next = page.Count > pageSize ? EncodeCursor(page[pageSize - 1].WorklistKey!) : null;
        return Results.Ok(new RenewalListResponse(items, next));
    }

    private static async Task<IResult> GetMetricsAsync(
        string? from, string? to, IQuerySession session, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var fromDay = ParseDay(from);
        var toDay = ParseDay(to);
        if (fromDay is null)
        {
            errors["from"] = ["'from' is required, a date (yyyy-MM-dd)."];
        }

        if (toDay is null)
        {
            errors["to"] = ["'to' is required, a date (yyyy-MM-dd)."];
        }
        else if (fromDay is not null && toDay <= fromDay)
        {
            errors["to"] = ["'to' must be after 'from'."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "Invalid period");
        }

        var now = time.GetUtcNow();
        var customers = await session.Query<CustomerRenewal>().ToListAsync(cancellationToken);
        var metrics = PortfolioMetrics.Compute(customers, fromDay!.Value, toDay!.Value, DateOnly.FromDateTime(now.UtcDateTime));
        return Results.Ok(new PortfolioMetricsResponse(fromDay.Value, toDay.Value, now, metrics.Select(RenewalResponses.Metrics).ToList()));
    }

    private static string Key(DateOnly day, string customerId) => CustomerRenewal.Key(day, customerId);

    private static DateOnly? ParseDay(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    public static CustomerTier? ParseTier(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Contains('"', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            // The converter also reads numbers ("3") and comma-separated lists: neither is a tier's wire name.
            var tier = JsonSerializer.Deserialize<CustomerTier>($"\"{value}\"");
            return !int.TryParse(value, out _) && !value.Contains(',', StringComparison.Ordinal) && Enum.IsDefined(tier) ? tier : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string EncodeCursor(string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes(key)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string? DecodeCursor(string cursor)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        var base64 = cursor.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var written))
        {
            return null;
        }

        var key = Encoding.UTF8.GetString(bytes, 0, written);
        var separator = key.IndexOf('|', StringComparison.Ordinal);
        return separator == 10 && DateOnly.TryParseExact(key[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? key : null;
    }

    private static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Invalid request");
}

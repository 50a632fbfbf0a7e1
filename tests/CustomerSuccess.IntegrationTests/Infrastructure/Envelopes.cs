namespace CustomerSuccess.IntegrationTests.Infrastructure;

/// <summary>Valid envelopes for tests, with ids unique to the test run.</summary>
public static class Envelopes
{
    public static string NewCustomerId(string prefix = "customer") => $"{prefix}-{Guid.NewGuid():N}";

    public static Dictionary<string, object> Usage(string customerId, string id, DateTimeOffset? occurredAt = null, string feature = "message.sent") => new()
    {
        ["id"] = id,
        ["type"] = "usage.recorded",
        ["customerId"] = customerId,
        ["occurredAt"] = occurredAt ?? DateTimeOffset.UtcNow.AddDays(-1),
        ["data"] = new { feature, userId = "u-1", role = "operator" },
    };

    public static Dictionary<string, object> ContractSigned(string customerId, string id, int endsInDays = 365) => new()
    {
        ["id"] = id,
        ["type"] = "contract.signed",
        ["customerId"] = customerId,
        ["occurredAt"] = DateTimeOffset.UtcNow.AddDays(-1),
        ["data"] = new
        {
            contractId = $"{customerId}-contract",
            arr = 12000,
            currency = "EUR",
            seats = 10,
            startsOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(endsInDays - 365).ToString("yyyy-MM-dd"),
            endsOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(endsInDays).ToString("yyyy-MM-dd"),
        },
    };
}

using System.Globalization;
using System.Net;
using System.Text.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.HealthScore.Domain;
using CustomerSuccess.Lifecycle.Stages;
using CustomerSuccess.Renewal.Renewals;

namespace CustomerSuccess.IntegrationTests.Infrastructure;

/// <summary>
/// What the bad-input barrage must get back: the documented answer for each request, and each good event exactly once
/// in every place that keeps its type (the services' own definitions of what they keep), nothing else.
/// </summary>
internal static class BarrageOracle
{
    /// <summary>Which ingested types each place keeps: Ingestion's log all of them, each service what its consumer keeps.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> KeptBy = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
    {
        ["ingestion"] = WireNames(CustomerEventTypes.Names.Keys),
        ["healthscore"] = WireNames(CustomerFacts.FactTypes),
        ["lifecycle"] = WireNames(LifecycleEventsConsumer.KeptTypes),
        ["renewal"] = WireNames(RenewalEventsConsumer.KeptTypes),
    };

    public static HashSet<string> Expected(string service, IEnumerable<GoodEvent> good) =>
        good.Where(g => KeptBy[service].Contains(g.Type)).Select(g => g.Id).ToHashSet(StringComparer.Ordinal);

    public static void AssertExactlyOnce(string service, HashSet<string> expected, IReadOnlyDictionary<string, int> stored)
    {
        var missing = expected.Where(id => !stored.ContainsKey(id)).ToList();
        var foreign = stored.Keys.Where(id => !expected.Contains(id)).ToList();
        var doubled = stored.Where(s => s.Value != 1).Select(s => $"{s.Key}×{s.Value}").ToList();
        Assert.True(
            missing.Count == 0 && foreign.Count == 0 && doubled.Count == 0,
            $"{service}: {missing.Count} good events missing ({string.Join(", ", missing.Take(5))}), "
            + $"{foreign.Count} events applied that must not be ({string.Join(", ", foreign.Take(5))}), "
            + $"{doubled.Count} applied more than once ({string.Join(", ", doubled.Take(5))})");
    }

    public static IEnumerable<string> Check(Shot shot, Outcome outcome)
    {
        if (outcome.Status != (int)shot.Status)
        {
            yield return $"{shot}: expected {(int)shot.Status}, got {outcome.Status} {Clip(outcome.Body)}";
            yield break;
        }

        if (shot.Status == HttpStatusCode.Accepted)
        {
            var result = JsonSerializer.Deserialize<IngestionResult>(outcome.Body, JsonSerializerOptions.Web);
            if (result != new IngestionResult(shot.Good.Count, 0))
            {
                yield return $"{shot}: expected accepted {shot.Good.Count}, duplicates 0; got {Clip(outcome.Body)}";
            }

            yield break;
        }

        if (shot.Status == HttpStatusCode.OK)
        {
            var result = JsonSerializer.Deserialize<BulkIngestionResult>(outcome.Body, JsonSerializerOptions.Web);
            if (result is null
                || (result.Accepted, result.Duplicates, result.Rejected) != (shot.Good.Count, 0, shot.RejectedLines.Length)
                || !result.Errors.Select(e => e.Line).SequenceEqual(shot.RejectedLines))
            {
                yield return $"{shot}: expected accepted {shot.Good.Count}, rejected lines [{string.Join(",", shot.RejectedLines)}]; got {Clip(outcome.Body)}";
            }

            yield break;
        }

        if (outcome.MediaType != "application/problem+json")
        {
            yield return $"{shot}: {outcome.Status} as {outcome.MediaType ?? "no content type"}, not application/problem+json";
            yield break;
        }

        using var document = JsonDocument.Parse(outcome.Body);
        var problem = document.RootElement;
        var keys = problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
            ? errors.EnumerateObject().Select(e => e.Name).ToList()
            : [];
        var title = problem.TryGetProperty("title", out var t) ? t.GetString() : null;
        var fine = shot.Problem switch
        {
            ProblemCheck.MalformedJson => title == "Malformed JSON",
            ProblemCheck.WholeRequest => keys.Contains(""),
            ProblemCheck.SingleEnvelope => keys.Count > 0 && keys.All(k => !k.StartsWith('[')),
            ProblemCheck.Items => keys.Count > 0
                && keys.Select(ItemOf).Distinct().Order().SequenceEqual(shot.BadItems),
            _ => true,
        };
        if (!fine)
        {
            yield return $"{shot}: problem does not name what was wrong ({shot.Problem} [{string.Join(",", shot.BadItems)}]): {Clip(outcome.Body)}";
        }
    }

    /// <summary>The item index of an error key such as <c>[3].data.score</c> or <c>[3]</c>; -1 for a key outside any item.</summary>
    private static int ItemOf(string key) =>
        key.StartsWith('[') && key.IndexOf(']', StringComparison.Ordinal) is > 1 and var end
            ? int.Parse(key.AsSpan(1, end - 1), CultureInfo.InvariantCulture)
            : -1;

    public static string Clip(string text) => text.Length <= 400 ? text : text[..400] + "…";

    private static HashSet<string> WireNames(IEnumerable<Type> types) =>
        types.Select(t => CustomerEventTypes.Names[t]).ToHashSet(StringComparer.Ordinal);
}

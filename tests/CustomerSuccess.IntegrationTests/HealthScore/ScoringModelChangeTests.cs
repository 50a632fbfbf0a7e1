using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.HealthScore.Domain;
using CustomerSuccess.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace CustomerSuccess.IntegrationTests.HealthScore;

/// <summary>A platform of its own: adopting a model version would change every other test's scores.</summary>
public sealed class ScoringModelPlatform : Platform;

[CollectionDefinition(Name)]
public sealed class ScoringModelPlatformCollection : ICollectionFixture<ScoringModelPlatform>
{
    public const string Name = "healthscore-scoring-model";
}

/// <summary>Storing a new scoring model version: validated, versioned, used from then on, history untouched.</summary>
[Collection(ScoringModelPlatformCollection.Name)]
public sealed class ScoringModelChangeTests(ScoringModelPlatform platform)
{
    private readonly HttpClient _ingestion = Platform.Client(platform.Ingestion, Platform.IngestKey);
    private readonly HttpClient _healthScore = Platform.Client(platform.HealthScore, Platform.ReadKey);
    private readonly HttpClient _admin = Platform.Client(platform.HealthScore, Platform.AdminKey);

    [Fact]
    public async Task A_new_model_version_scores_from_then_on_and_leaves_stored_history_as_it_was()
    {
        var customer = new CustomerTimeline($"modelled-{Guid.NewGuid():N}", DateTimeOffset.UtcNow);
        await customer.Seats(10, daysAgo: 40).HeavyUse(fromDaysAgo: 25, toDaysAgo: 2, users: 6, "message.sent", "report.exported")
            .Survey("nps", 9, daysAgo: 5, "user-01").PostAsync(_ingestion);
        var underDefault = await _healthScore.WaitForHealthAsync(
            customer.CustomerId, h => h.Contribution("output_index").Raw == customer.ExpectedOutputIndex(10) && h.Contribution("nps").Raw is not null,
            "the customer's health under the default model");
        var historyBefore = (await _healthScore.HistoryAsync(customer.CustomerId))!.Evaluations;

        // GET → change → PUT: the shape round-trips.
        using var current = await _healthScore.GetAsync("/v1/scoring-model");
        Assert.Equal("\"1\"", current.Headers.ETag?.Tag);
        var model = JsonNode.Parse(await current.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(1, (int)model["version"]!);
        model["coreFeatures"] = new JsonArray("message.sent", "report.exported");
        model["groupShares"]![0]!["outcome"] = 0.6;
        model["groupShares"]![0]!["experience"] = 0.4;
        using var adopted = await PutAsync(model.ToJsonString(), ifMatch: "\"1\"");
        using var stale = await PutAsync(model.ToJsonString(), ifMatch: "\"1\"");

        Assert.Equal(HttpStatusCode.Created, adopted.StatusCode);
        Assert.Equal("/v1/scoring-model/versions/2", adopted.Headers.Location?.OriginalString);
        Assert.Equal(2, (await adopted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var roundTripped = JsonNode.Parse(await _healthScore.GetStringAsync("/v1/scoring-model"))!.AsObject();
        roundTripped["version"] = 1;
        Assert.True(JsonNode.DeepEquals(model, roundTripped), roundTripped.ToJsonString());
        Assert.Equal([1, 2], (await _healthScore.GetFromJsonAsync<List<ScoringModelVersionInfo>>("/v1/scoring-model/versions"))!.Select(v => v.Version));
        Assert.Equal(1, (await _healthScore.GetFromJsonAsync<JsonElement>("/v1/scoring-model/versions/1")).GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await _healthScore.GetAsync("/v1/scoring-model/versions/3")).StatusCode);

        // From then on: a re-evaluation uses version 2 (60/40, two core features) …
        using var reevaluation = await _admin.PostAsync("/v1/health/evaluations", null);
        Assert.Equal(HttpStatusCode.OK, reevaluation.StatusCode);
        var underNew = await _healthScore.WaitForHealthAsync(customer.CustomerId, h => h.ModelVersion == 2, "an evaluation under version 2");
        Assert.Equal(0.6, underNew.OutcomeShare(), 3);
        Assert.NotEqual(underDefault.Score, underNew.Score);

        // … and so does an event arriving later, while the stored evaluations keep what version 1 said.
        await customer.Survey("csat", 2, daysAgo: 1, "user-02").PostAsync(_ingestion);
        await _healthScore.WaitForHealthAsync(customer.CustomerId, h => h.Contribution("csat").Raw == 2, "the survey under version 2");
        var historyAfter = (await _healthScore.HistoryAsync(customer.CustomerId))!.Evaluations;
        Assert.Equal(historyBefore, historyAfter.Take(historyBefore.Count), HistoryEntryComparer.Instance);
        Assert.All(historyAfter.Skip(historyBefore.Count), e => Assert.Equal(2, e.ModelVersion));
        Assert.True(historyAfter.Count >= historyBefore.Count + 2);

        // As of before the adoption, the customer is scored with the model then in force.
        var asOfBefore = (await _healthScore.HealthAsync(customer.CustomerId, historyBefore[^1].EvaluatedAt))!;
        Assert.Equal(1, asOfBefore.ModelVersion);
        Assert.Equal(0.8, asOfBefore.OutcomeShare(), 3);
    }

    [Fact]
    public async Task An_invalid_model_is_rejected_with_the_rules_it_breaks_and_stores_nothing()
    {
        var invalid = ScoringModel.Default with
        {
            GroupShares = [.. ScoringModel.Default.GroupShares.Select(s => s.Tier == Contracts.Events.CustomerTier.KeyAccount ? s with { Outcome = 0.9, Experience = 0.1 } : s)],
            Measures = [.. ScoringModel.Default.Measures.Select(m => m.Name == MeasureNames.FeatureBreadth ? m with { Weight = 0.3 } : m)],
        };
        var versionsBefore = await _healthScore.GetFromJsonAsync<List<ScoringModelVersionInfo>>("/v1/scoring-model/versions");

        using var response = await _admin.PutAsJsonAsync("/v1/scoring-model", invalid);
        using var malformed = await PutAsync("{\"greenFrom\": \"high\"}", ifMatch: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors["model"];
        Assert.Contains(errors, e => e.StartsWith("The key-account outcome share must be at most 0.7", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Outcome measure weights for stage Mature must sum to 1", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("model.greenFrom", (await malformed.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
        Assert.Equal(versionsBefore!.Count, (await _healthScore.GetFromJsonAsync<List<ScoringModelVersionInfo>>("/v1/scoring-model/versions"))!.Count);
    }

    private async Task<HttpResponseMessage> PutAsync(string json, string? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v1/scoring-model") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }

        return await _admin.SendAsync(request);
    }

    /// <summary>Stored evaluations compared by value (records holding lists compare those by reference).</summary>
    private sealed class HistoryEntryComparer : IEqualityComparer<HealthHistoryEntry>
    {
        public static readonly HistoryEntryComparer Instance = new();

        public bool Equals(HealthHistoryEntry? x, HealthHistoryEntry? y) =>
            x is not null && y is not null && JsonSerializer.Serialize(x) == JsonSerializer.Serialize(y);

        public int GetHashCode(HealthHistoryEntry obj) => obj.EventId.GetHashCode(StringComparison.Ordinal);
    }
}

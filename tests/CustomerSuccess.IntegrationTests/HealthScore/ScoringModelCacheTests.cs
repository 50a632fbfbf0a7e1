using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Domain;
using CustomerSuccess.HealthScore.Scoring;
using CustomerSuccess.HealthScore.ScoringModels;
using CustomerSuccess.IntegrationTests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerSuccess.IntegrationTests.HealthScore;

/// <summary>A platform of its own: adopting a model version would change every other test's scores.</summary>
public sealed class ScoringModelCachePlatform : Platform;

[CollectionDefinition(Name)]
public sealed class ScoringModelCachePlatformCollection : ICollectionFixture<ScoringModelCachePlatform>
{
    public const string Name = "healthscore-scoring-model-cache";
}

/// <summary>
/// Evaluations keep the current model in memory between messages; a model adopted by this instance or by another one
/// (another <see cref="CurrentScoringModel"/> on the same store) must still score the very next evaluation.
/// </summary>
[Collection(ScoringModelCachePlatformCollection.Name)]
public sealed class ScoringModelCacheTests(ScoringModelCachePlatform platform)
{
    private IDocumentStore Store => platform.HealthScore.Services.GetRequiredService<IDocumentStore>();

    [Fact]
    public async Task A_model_adopted_by_another_instance_scores_the_next_evaluation_of_an_instance_that_holds_the_old_one()
    {
        var now = DateTimeOffset.UtcNow;
        // A new customer each time: its first evaluation is always appended, whatever the model says.
        var prefix = $"cached-model-{Guid.NewGuid():N}";
        var adopting = new CurrentScoringModel();
        var other = new CurrentScoringModel();

        Assert.Equal(1, (await RecordAsync(other, prefix, now, 1)).ModelVersion);
        Assert.Equal(1, (await RecordAsync(adopting, prefix, now, 2)).ModelVersion);

        // The adopting instance commits version 2 and learns of it at once; the other one learns of it from the store.
        var current = await ReadCurrentAsync(adopting);
        var version2 = current with { Version = current.Version + 1, CoreFeatures = ["message.sent", "report.exported"] };
        await using (var session = Store.LightweightSession())
        {
            ScoringModelStore.Adopt(session, version2, now, "test");
            await session.SaveChangesAsync();
        }

        adopting.Adopted(version2);
        Assert.Equal(version2.Version, (await RecordAsync(other, prefix, now, 3)).ModelVersion);
        Assert.Equal(version2.Version, (await RecordAsync(adopting, prefix, now, 4)).ModelVersion);

        // Once it knows of version 2, the other instance keeps scoring with it.
        Assert.Equal(version2.Version, (await RecordAsync(other, prefix, now, 5)).ModelVersion);
        await using var query = Store.QuerySession();
        Assert.Equal(version2.Version, (await query.LoadAsync<CustomerHealth>($"{prefix}-5"))!.Latest!.ModelVersion);
    }

    private async Task<ScoringModel> ReadCurrentAsync(CurrentScoringModel models)
    {
        await using var query = Store.QuerySession();
        return await models.ReadAsync(query, CancellationToken.None);
    }

    private async Task<HealthEvaluated> RecordAsync(CurrentScoringModel models, string customerPrefix, DateTimeOffset now, int number)
    {
        var customerId = $"{customerPrefix}-{number}";
        await using var session = Store.LightweightSession();
        var usage = new UsageRecorded
        {
            EventId = $"{customerId}-usage", CustomerId = customerId, Feature = "message.sent", UserId = "user-1",
            OccurredAt = now.AddDays(-1), ReceivedAt = now,
        };
        var evaluated = (await CustomerHealthEvaluator.RecordAsync(session, [new CustomerChanges(customerId, [usage])], models, now, CancellationToken.None))[0];
        await session.SaveChangesAsync();
        Assert.NotNull(evaluated);
        return evaluated;
    }
}

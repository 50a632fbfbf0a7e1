using CustomerSuccess.HealthScore.Domain;
using Marten;
using Marten.Services.BatchQuerying;

namespace CustomerSuccess.HealthScore.ScoringModels;

/// <summary>
/// The current scoring model, kept in memory between messages instead of read and deserialised for each one. A stored
/// version never changes (versions are only added), so the cache is stale only when a newer version exists: each
/// evaluation asks the store that in the round trip it makes anyway, which also sees a model adopted by another
/// instance, and re-reads the model only then.
/// </summary>
public sealed class CurrentScoringModel
{
    private volatile ScoringModel? _known;

    /// <summary>Adds to <paramref name="batch"/> the check whether a newer version than the one held was adopted.</summary>
    public Freshness Check(IBatchedQuery batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var known = _known;
        return known is null
            ? new Freshness(null, null)
            : new Freshness(known, batch.Query<StoredScoringModel>().Any(m => m.Id > known.Version));
    }

    /// <summary>The model current when <paramref name="freshness"/>'s batch ran: the one held, or the store's newest.</summary>
    public async Task<ScoringModel> CurrentAsync(Freshness freshness, IQuerySession session, CancellationToken cancellationToken)
    {
        if (freshness.Known is { } known && freshness.NewerExists is { } newerExists && !await newerExists)
        {
            return known;
        }

        return await ReadAsync(session, cancellationToken);
    }

    /// <summary>The store's current model, now held.</summary>
    public async Task<ScoringModel> ReadAsync(IQuerySession session, CancellationToken cancellationToken)
    {
        var current = await ScoringModelStore.CurrentAsync(session, cancellationToken);
        // Never step back: a reader that started before an adoption may finish after one that started later.
        var known = _known;
        if (known is null || known.Version < current.Version)
        {
            _known = current;
        }

        return current;
    }

    /// <summary>This instance adopted <paramref name="model"/> (committed): later evaluations use it at once.</summary>
    public void Adopted(ScoringModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var known = _known;
        if (known is null || known.Version < model.Version)
        {
            _known = model;
        }
    }

    /// <summary>The model held when a batch was built, and the batch's answer to whether a newer version exists.</summary>
    public readonly record struct Freshness(ScoringModel? Known, Task<bool>? NewerExists);
}

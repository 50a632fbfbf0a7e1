using CustomerSuccess.Contracts.Http;
using CustomerSuccess.HealthScore.Domain;
using Marten;

namespace CustomerSuccess.HealthScore.ScoringModels;

/// <summary>
/// One version of the scoring model, as a Marten document keyed by its version. Versions are only ever added: the
/// current model is the highest version, and older ones stay so that "as of" answers and history can name them.
/// Version 1 is the built-in <see cref="ScoringModel.Default"/> and is never stored.
/// </summary>
public sealed class StoredScoringModel
{
    /// <summary>The version (the document id).</summary>
    public int Id { get; set; }

    public ScoringModel Model { get; set; } = ScoringModel.Default;

    /// <summary>When it became the current model (the service's clock).</summary>
    public DateTimeOffset AdoptedAt { get; set; }

    /// <summary>Name of the API key that stored it.</summary>
    public string? AdoptedBy { get; set; }

    public ScoringModelVersionInfo ToInfo() => new(Id, AdoptedAt, AdoptedBy);
}

/// <summary>Reads and adds scoring model versions.</summary>
public static class ScoringModelStore
{
    public static readonly ScoringModelVersionInfo DefaultVersionInfo = new(ScoringModel.Default.Version, null, null);

    /// <summary>The model evaluations use now: the highest stored version, else the default.</summary>
    public static async Task<ScoringModel> CurrentAsync(IQuerySession session, CancellationToken cancellationToken) =>
        (await session.Query<StoredScoringModel>().OrderByDescending(m => m.Id).FirstOrDefaultAsync(cancellationToken))?.Model
        ?? ScoringModel.Default;

    /// <summary>The model that was current at <paramref name="instant"/>: the highest version adopted by then, else the default.</summary>
    public static async Task<ScoringModel> InForceAtAsync(IQuerySession session, DateTimeOffset instant, CancellationToken cancellationToken) =>
        (await session.Query<StoredScoringModel>().Where(m => m.AdoptedAt <= instant).OrderByDescending(m => m.Id).FirstOrDefaultAsync(cancellationToken))?.Model
        ?? ScoringModel.Default;

    /// <summary>One version; null when there is no such version.</summary>
    public static async Task<ScoringModel?> VersionAsync(IQuerySession session, int version, CancellationToken cancellationToken) =>
        version == ScoringModel.Default.Version
            ? ScoringModel.Default
            : (await session.LoadAsync<StoredScoringModel>(version, cancellationToken))?.Model;

    /// <summary>Every version, oldest first, the default included.</summary>
    public static async Task<IReadOnlyList<ScoringModelVersionInfo>> VersionsAsync(IQuerySession session, CancellationToken cancellationToken)
    {
        var stored = await session.Query<StoredScoringModel>().OrderBy(m => m.Id).ToListAsync(cancellationToken);
        return [DefaultVersionInfo, .. stored.Select(m => m.ToInfo())];
    }

    /// <summary>
    /// Inserts <paramref name="model"/> (already stamped with its new version). Insert, not store: a concurrent adoption of
    /// the same version fails on commit instead of overwriting.
    /// </summary>
    public static StoredScoringModel Adopt(IDocumentSession session, ScoringModel model, DateTimeOffset now, string? adoptedBy)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(model);
        var stored = new StoredScoringModel { Id = model.Version, Model = model, AdoptedAt = now, AdoptedBy = adoptedBy };
        session.Insert(stored);
        return stored;
    }
}

using System.Text.Json;
using CustomerSuccess.Contracts.Http;
using Refit;

namespace CustomerSuccess.Client;

/// <summary>
/// HealthScore (default port 5102): reads need a key with the <c>read</c> scope; storing a scoring model, simulating one
/// and re-scoring everyone need <c>admin</c>. The scoring model travels as JSON (<see cref="JsonElement"/>): its shape
/// is HealthScore's, documented in services/HealthScore/README.md.
/// </summary>
public interface IHealthScoreApi
{
    [Get("/v1/customers/{customerId}/health")]
    Task<CustomerHealthResponse> GetHealthAsync(string customerId, [Query] DateTimeOffset? asOf = null, CancellationToken cancellationToken = default);

    [Get("/v1/customers/{customerId}/health/history")]
    Task<HealthHistoryResponse> GetHealthHistoryAsync(
        string customerId, [Query] DateTimeOffset? from = null, [Query] DateTimeOffset? to = null, CancellationToken cancellationToken = default);

    /// <summary>Filters use the public names: band <c>green</c>/<c>yellow</c>/<c>red</c>, quadrant <c>Q1</c>..<c>Q4</c>, tier <c>standard</c>/<c>high_potential</c>/<c>key_account</c>.</summary>
    [Get("/v1/health")]
    Task<HealthListResponse> ListHealthAsync(
        [Query] string? band = null, [Query] string? quadrant = null, [Query] string? tier = null,
        [Query] int? limit = null, [Query] int? offset = null, CancellationToken cancellationToken = default);

    [Post("/v1/health/evaluations")]
    Task<HealthReevaluationResult> ReevaluateAllAsync(CancellationToken cancellationToken = default);

    [Get("/v1/scoring-model")]
    Task<JsonElement> GetScoringModelAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="model"/> as the next version and returns it with its version.</summary>
    [Put("/v1/scoring-model")]
    Task<JsonElement> PutScoringModelAsync([Body] JsonElement model, CancellationToken cancellationToken = default);

    [Get("/v1/scoring-model/versions")]
    Task<IReadOnlyList<ScoringModelVersionInfo>> GetScoringModelVersionsAsync(CancellationToken cancellationToken = default);

    [Get("/v1/scoring-model/versions/{version}")]
    Task<JsonElement> GetScoringModelVersionAsync(int version, CancellationToken cancellationToken = default);

    [Post("/v1/scoring-model/simulate")]
    Task<ScoringSimulationResponse> SimulateScoringModelAsync([Body] ScoringSimulationRequest request, CancellationToken cancellationToken = default);
}

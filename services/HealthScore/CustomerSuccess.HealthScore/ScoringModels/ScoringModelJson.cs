using System.Text.Json;
using CustomerSuccess.HealthScore.Domain;

namespace CustomerSuccess.HealthScore.ScoringModels;

/// <summary>
/// Reads a scoring model from a request in the exact shape <c>GET /v1/scoring-model</c> writes (the HTTP JSON options,
/// with the contracts' enum names such as <c>key_account</c>), and says what is wrong with it as problem-details errors.
/// </summary>
public static class ScoringModelJson
{
    /// <summary>Field errors, keyed like a validation problem's <c>errors</c>.</summary>
    public static Dictionary<string, string[]> Problems(string field, params string[] messages) => new() { [field] = messages };

    /// <summary>Parses <paramref name="json"/>; on failure returns null and the errors to answer 400 with.</summary>
    public static ScoringModel? Read(JsonElement json, JsonSerializerOptions options, string field, out Dictionary<string, string[]>? errors)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors = Problems(field, "A scoring model (a JSON object, as GET /v1/scoring-model returns it) is required.");
            return null;
        }

        try
        {
            errors = null;
            return json.Deserialize<ScoringModel>(options);
        }
        catch (JsonException exception)
        {
            errors = Problems(exception.Path is { Length: > 1 } path ? field + path[1..] : field, exception.Message);
            return null;
        }
    }

    /// <summary>The rules of <see cref="ScoringModel.Validate"/>, as errors of <paramref name="field"/>; null when valid.</summary>
    public static Dictionary<string, string[]>? Validate(ScoringModel model, string field)
    {
        var errors = model.Validate();
        return errors.Count == 0 ? null : Problems(field, [.. errors]);
    }
}

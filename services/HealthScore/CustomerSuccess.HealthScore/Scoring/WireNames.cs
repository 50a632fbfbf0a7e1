using System.Reflection;
using System.Text.Json.Serialization;

namespace CustomerSuccess.HealthScore.Scoring;

/// <summary>Reads enum values from query strings by their public (JSON) names, e.g. <c>key_account</c> or <c>Q2</c>.</summary>
public static class WireNames
{
    /// <summary>The public names of <typeparamref name="T"/>'s values, in declaration order.</summary>
    public static IReadOnlyList<string> Of<T>() where T : struct, Enum =>
        Enum.GetValues<T>().Select(NameOf).ToList();

    public static string NameOf<T>(T value) where T : struct, Enum
    {
        var member = typeof(T).GetField(value.ToString(), BindingFlags.Public | BindingFlags.Static);
        return member?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? value.ToString();
    }

    /// <summary>Parses a public name (case-insensitive); false for anything else, numbers included.</summary>
    public static bool TryParse<T>(string text, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(NameOf(candidate), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}

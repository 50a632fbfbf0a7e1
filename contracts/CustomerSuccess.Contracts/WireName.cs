using System.Reflection;
using System.Text.Json.Serialization;

namespace CustomerSuccess.Contracts;

/// <summary>
/// The public (JSON) names of enum values, read from <see cref="JsonStringEnumMemberNameAttribute"/> (the member name
/// where there is none). One rule for case everywhere: a wire name matches exactly as written (ordinal), in event
/// envelopes and in query strings alike.
/// </summary>
public static class WireName
{
    /// <summary>The wire name of <paramref name="value"/>, e.g. <c>key_account</c> for <c>CustomerTier.KeyAccount</c>.</summary>
    public static string Of<T>(T value) where T : struct, Enum =>
        Names<T>.ByValue.TryGetValue(value, out var name) ? name : value.ToString();

    /// <summary>The wire names of <typeparamref name="T"/>'s values, in declaration order.</summary>
    public static IReadOnlyList<string> All<T>() where T : struct, Enum => Names<T>.InOrder;

    /// <summary>The value whose wire name is exactly <paramref name="text"/>; false for anything else, numbers included.</summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        if (text is not null && Names<T>.ByName.TryGetValue(text, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    private static class Names<T> where T : struct, Enum
    {
        private static readonly (string Name, T Value)[] _members = typeof(T)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .OrderBy(field => field.MetadataToken)
            .Select(field => (field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? field.Name, (T)field.GetValue(null)!))
            .ToArray();

        public static readonly IReadOnlyList<string> InOrder = _members.Select(m => m.Name).ToList();

        public static readonly Dictionary<string, T> ByName = _members.ToDictionary(m => m.Name, m => m.Value, StringComparer.Ordinal);

        public static readonly Dictionary<T, string> ByValue = _members.ToDictionary(m => m.Value, m => m.Name);
    }
}

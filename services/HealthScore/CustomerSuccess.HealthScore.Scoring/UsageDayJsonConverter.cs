using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.HealthScore.Domain;

/// <summary>
/// The stored form of a <see cref="UsageDay"/>. Its users are most of a rollup's bytes, and written as objects each
/// repeats two property names and every feature id it used; here the day lists the features its users used once
/// (<c>Features</c>) and each user is <c>[roles as bits of their values, indexes into Features...]</c>.
/// </summary>
/// <remarks>
/// Exact: the indexes keep the user's features in their order, and a user's roles are kept sorted and distinct, which
/// is what bits encode. A user whose roles are not (never so from <see cref="CustomerFacts"/>, but a document may say
/// anything) is written as the object <c>{"Roles":[...],"Features":[...]}</c>, which is also how every user was stored before this form, so
/// rollups stored by earlier versions read unchanged and are rewritten in this form on their next change.
/// </remarks>
public sealed class UsageDayJsonConverter : JsonConverter<UsageDay>
{
    private const int MaxRoleBit = 30;
    private const string DateFormat = "yyyy-MM-dd"; // System.Text.Json's own form of a DateOnly

    // Each role's wire name, as its own converter writes it.
    private static readonly Dictionary<UserRole, string> s_roleNames =
        Enum.GetValues<UserRole>().ToDictionary(role => role, role => JsonSerializer.Deserialize<string>(JsonSerializer.Serialize(role))!);

    private static readonly Dictionary<string, UserRole> s_roles = s_roleNames.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    [ThreadStatic] private static List<int>? s_indexes;
    [ThreadStatic] private static List<(UserActivity Activity, int Start, int Count)>? s_compactUsers;

    public override UsageDay Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A usage day is a JSON object.");
        }

        var day = new UsageDay();
        string[]? features = null;
        // PostgreSQL's jsonb keeps an object's keys sorted (shorter first), not as written: Users may come before
        // Features, so each user's feature indexes are resolved once the whole day is read. The buffers are this
        // thread's, reused day after day (a day's read never nests another).
        var indexes = s_indexes ??= [];
        var compactUsers = s_compactUsers ??= [];
        indexes.Clear();
        compactUsers.Clear();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case nameof(UsageDay.Date):
                    day.Date = DateOnly.ParseExact(reader.GetString()!, DateFormat, CultureInfo.InvariantCulture);
                    break;
                case nameof(UsageDay.FeatureQuantities):
                    ReadQuantities(ref reader, day.FeatureQuantities);
                    break;
                case nameof(UsageDay.Roles):
                    day.Roles = ReadRoles(ref reader);
                    break;
                case "Features":
                    features = ReadStrings(ref reader);
                    break;
                case nameof(UsageDay.Users):
                    ReadUsers(ref reader, day.Users, indexes, compactUsers, options);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (compactUsers.Count > 0 && features is null)
        {
            throw new JsonException("A usage day whose users refer to Features has no Features.");
        }

        foreach (var (activity, start, count) in compactUsers)
        {
            for (var i = start; i < start + count; i++)
            {
                activity.Features.Add(indexes[i] >= 0 && indexes[i] < features!.Length
                    ? features[indexes[i]]
                    : throw new JsonException($"Feature index {indexes[i]} is outside the day's Features."));
            }
        }

        compactUsers.Clear(); // holds none of this day's users once it is read
        return day;
    }

    public override void Write(Utf8JsonWriter writer, UsageDay value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteString(nameof(UsageDay.Date), value.Date.ToString(DateFormat, CultureInfo.InvariantCulture));
        writer.WriteStartObject(nameof(UsageDay.FeatureQuantities));
        foreach (var (feature, quantity) in value.FeatureQuantities)
        {
            writer.WriteNumber(feature, quantity);
        }

        writer.WriteEndObject();
        writer.WriteStartArray(nameof(UsageDay.Roles));
        foreach (var role in value.Roles)
        {
            writer.WriteStringValue(s_roleNames[role]);
        }

        writer.WriteEndArray();
        var features = FeatureTable(value);
        var byIndex = new string[features.Count];
        foreach (var (feature, index) in features)
        {
            byIndex[index] = feature;
        }

        writer.WriteStartArray("Features");
        foreach (var feature in byIndex)
        {
            writer.WriteStringValue(feature);
        }

        writer.WriteEndArray();
        writer.WriteStartObject(nameof(UsageDay.Users));
        foreach (var (userId, activity) in value.Users)
        {
            writer.WritePropertyName(userId);
            if (Compactable(activity))
            {
                writer.WriteStartArray();
                writer.WriteNumberValue(activity.Roles.Aggregate(0, (bits, role) => bits | (1 << (int)role)));
                foreach (var feature in activity.Features)
                {
                    writer.WriteNumberValue(features[feature]);
                }

                writer.WriteEndArray();
            }
            else
            {
                JsonSerializer.Serialize(writer, activity, options);
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// The features the day's users used, each once: the day's own features (its users' features but for any the
    /// per-day cap dropped from the day's quantities later), then any others in order of appearance.
    /// </summary>
    private static Dictionary<string, int> FeatureTable(UsageDay day)
    {
        var table = new Dictionary<string, int>(day.FeatureQuantities.Count, StringComparer.Ordinal);
        foreach (var feature in day.FeatureQuantities.Keys)
        {
            table.Add(feature, table.Count);
        }

        foreach (var activity in day.Users.Values)
        {
            foreach (var feature in activity.Features)
            {
                table.TryAdd(feature, table.Count);
            }
        }

        return table;
    }

    /// <summary>Whether bits say exactly what the user's roles hold (indexes keep any list of features as it is).</summary>
    private static bool Compactable(UserActivity activity)
    {
        for (var i = 0; i < activity.Roles.Count; i++)
        {
            if ((int)activity.Roles[i] is < 0 or > MaxRoleBit || (i > 0 && activity.Roles[i - 1] >= activity.Roles[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static List<UserRole> ReadRoles(ref Utf8JsonReader reader)
    {
        var roles = new List<UserRole>();
        foreach (var name in ReadStrings(ref reader))
        {
            // Anything else the enum's own converter accepts (another casing) takes the slow way.
            roles.Add(s_roles.TryGetValue(name, out var role) ? role : JsonSerializer.Deserialize<UserRole>(JsonSerializer.Serialize(name)));
        }

        return roles;
    }

    private static string[] ReadStrings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Expected a JSON array of strings.");
        }

        var strings = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            strings.Add(reader.GetString()!);
        }

        return [.. strings];
    }

    private static void ReadQuantities(ref Utf8JsonReader reader, SortedDictionary<string, long> quantities)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A usage day's feature quantities are a JSON object.");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var feature = reader.GetString()!;
            reader.Read();
            quantities[feature] = reader.GetInt64();
        }
    }

    private static void ReadUsers(
        ref Utf8JsonReader reader, SortedDictionary<string, UserActivity> users, List<int> indexes,
        List<(UserActivity Activity, int Start, int Count)> compactUsers, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A usage day's users are a JSON object.");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var userId = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                users[userId] = JsonSerializer.Deserialize<UserActivity>(ref reader, options) ?? new UserActivity();
                continue;
            }

            // [role bits, feature indexes...]
            reader.Read();
            var bits = reader.GetInt32();
            var activity = new UserActivity();
            for (var role = 0; role <= MaxRoleBit; role++)
            {
                if ((bits & (1 << role)) != 0)
                {
                    activity.Roles.Add((UserRole)role);
                }
            }

            var start = indexes.Count;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                indexes.Add(reader.GetInt32());
            }

            compactUsers.Add((activity, start, indexes.Count - start));
            users[userId] = activity;
        }
    }
}

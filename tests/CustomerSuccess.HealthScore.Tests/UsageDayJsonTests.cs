using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Domain;

namespace CustomerSuccess.HealthScore.Tests;

/// <summary>The stored rollup's compact usage days: exact, smaller, and readable from the form stored before them.</summary>
public class UsageDayJsonTests
{
    // As the service's Marten serializer has it: enums as strings from the options as well.
    private static readonly JsonSerializerOptions s_store = new() { Converters = { new JsonStringEnumConverter() } };

    private static CustomerFacts Rollup()
    {
        // A per-day feature cap of 3 lets a feature a user used drop out of the day's quantities later.
        var facts = new CustomerFacts { MaxFeaturesPerDay = 3 };
        var history = new CustomerHistory().WithSeats().HeavyUse(fromDaysAgo: 12).GoodService()
            .Use("u-9", UserRole.Finance, "report.exported", daysAgo: 2).Use("u-9", UserRole.Admin, "api.called", daysAgo: 2, quantity: 7)
            .Use("u-9", null, "zzz.last", daysAgo: 2).Use("u-anonymous-role", null, "aaa.first", daysAgo: 2)
            .Use("", UserRole.Other, "api.called", daysAgo: 3, quantity: 40);
        return CustomerHistory.Roll(history.Events, facts);
    }

    [Fact]
    public void A_rollup_round_trips_exactly_and_scores_the_same_after_it()
    {
        var original = Rollup();
        var json = JsonSerializer.Serialize(original, s_store);

        var read = JsonSerializer.Deserialize<CustomerFacts>(json, s_store)!;

        Assert.Equal(json, JsonSerializer.Serialize(read, s_store));
        Assert.Equal(original.UsageDays.Count, read.UsageDays.Count);
        for (var i = 0; i < original.UsageDays.Count; i++)
        {
            Assert.Equal(original.UsageDays[i].Date, read.UsageDays[i].Date);
            Assert.Equal(original.UsageDays[i].FeatureQuantities, read.UsageDays[i].FeatureQuantities);
            Assert.Equal(original.UsageDays[i].Roles, read.UsageDays[i].Roles);
            Assert.Equal(original.UsageDays[i].Users.Keys, read.UsageDays[i].Users.Keys);
            Assert.All(original.UsageDays[i].Users, user =>
            {
                Assert.Equal(user.Value.Roles, read.UsageDays[i].Users[user.Key].Roles);
                Assert.Equal(user.Value.Features, read.UsageDays[i].Users[user.Key].Features);
            });
        }

        Assert.Same(StringComparer.Ordinal, read.UsageDays[0].Users.Comparer);
        Assert.Equal(
            JsonSerializer.Serialize(HealthEvaluation.Evaluate(original, ScoringModel.Default, CustomerHistory.AsOf)),
            JsonSerializer.Serialize(HealthEvaluation.Evaluate(read, ScoringModel.Default, CustomerHistory.AsOf)));
    }

    [Fact]
    public void A_user_is_stored_as_roles_bits_and_indexes_into_the_days_features_and_the_cap_leaves_nothing_out()
    {
        var original = Rollup();
        var day = original.UsageDays.Single(d => d.Users.ContainsKey("u-9"));
        Assert.DoesNotContain("zzz.last", day.FeatureQuantities.Keys); // dropped by the cap, still among u-9's features

        var stored = JsonNode.Parse(JsonSerializer.Serialize(day, s_store))!;

        var features = stored["Features"]!.AsArray().Select(f => (string)f!).ToList();
        var user = stored["Users"]!["u-9"]!.AsArray().Select(v => (int)v!).ToList();
        Assert.Equal((1 << (int)UserRole.Finance) | (1 << (int)UserRole.Admin), user[0]);
        Assert.Equal(day.Users["u-9"].Features, user.Skip(1).Select(i => features[i]));
        Assert.Contains("zzz.last", features);
    }

    [Fact]
    public void A_rollup_stored_before_the_compact_form_reads_the_same()
    {
        var original = Rollup();
        var compact = JsonSerializer.Serialize(original, s_store);
        // The earlier form: Date, Users as objects {"Roles", "Features"}, FeatureQuantities, Roles; no feature table.
        var earlier = JsonNode.Parse(JsonSerializer.Serialize(original, s_store))!;
        earlier["UsageDays"] = new JsonArray(original.UsageDays.Select(d => (JsonNode)new JsonObject
        {
            ["Date"] = JsonSerializer.SerializeToNode(d.Date, s_store),
            ["Users"] = new JsonObject(d.Users.Select(u => KeyValuePair.Create(u.Key, JsonSerializer.SerializeToNode(u.Value, s_store)))),
            ["FeatureQuantities"] = JsonSerializer.SerializeToNode(new Dictionary<string, long>(d.FeatureQuantities), s_store),
            ["Roles"] = JsonSerializer.SerializeToNode(d.Roles, s_store),
        }).ToArray());

        var read = JsonSerializer.Deserialize<CustomerFacts>(earlier.ToJsonString(), s_store)!;

        Assert.Equal(compact, JsonSerializer.Serialize(read, s_store));
        Assert.True(compact.Length < earlier.ToJsonString().Length * 0.8);
    }

    [Fact]
    public void A_day_reads_the_same_with_its_keys_in_the_order_postgres_jsonb_returns_them()
    {
        var original = Rollup();
        var json = JsonSerializer.Serialize(original, s_store);
        var document = JsonNode.Parse(json)!;
        // jsonb sorts an object's keys, shorter first, then bytewise: Date, Roles, Users, Features, FeatureQuantities.
        foreach (var day in document["UsageDays"]!.AsArray().ToList())
        {
            var keys = day!.AsObject().Select(p => p.Key).OrderBy(k => k.Length).ThenBy(k => k, StringComparer.Ordinal).ToList();
            var reordered = new JsonObject(keys.Select(k => KeyValuePair.Create(k, day[k]?.DeepClone())));
            Assert.True(keys.IndexOf("Users") < keys.IndexOf("Features"));
            day.ReplaceWith(reordered);
        }

        var read = JsonSerializer.Deserialize<CustomerFacts>(document.ToJsonString(), s_store)!;

        Assert.Equal(json, JsonSerializer.Serialize(read, s_store));
    }

    [Fact]
    public void A_user_whose_roles_bits_cannot_say_exactly_is_kept_as_an_object()
    {
        var day = new UsageDay { Date = new DateOnly(2026, 11, 23) };
        day.FeatureQuantities["message.sent"] = 3;
        day.Users["u-1"] = new UserActivity { Roles = [UserRole.Finance, UserRole.Executive, UserRole.Finance], Features = ["message.sent"] };
        day.Users["u-2"] = new UserActivity { Roles = [UserRole.Executive], Features = ["message.sent"] };

        var json = JsonSerializer.Serialize(day, s_store);
        var read = JsonSerializer.Deserialize<UsageDay>(json, s_store)!;

        Assert.Equal(day.Users["u-1"].Roles, read.Users["u-1"].Roles);
        Assert.Equal(day.Users["u-2"].Roles, read.Users["u-2"].Roles);
        Assert.Equal(json, JsonSerializer.Serialize(read, s_store));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<UsageDay>("""{"Date":"2026-11-23","Features":["a"],"Users":{"u-1":[0,1]}}""", s_store));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<UsageDay>("""{"Date":"2026-11-23","Users":{"u-1":[0,0]}}""", s_store));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<UsageDay>("""{"Date":"2026-11-23","Users":{"u-1":[0,1]},"Features":["a"]}""", s_store));
    }
}

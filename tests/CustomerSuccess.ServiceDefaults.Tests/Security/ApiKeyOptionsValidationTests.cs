using CustomerSuccess.ServiceDefaults.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.ServiceDefaults.Tests.Security;

/// <summary>A service with a key that breaks a documented rule refuses to start, and the message names the setting.</summary>
public sealed class ApiKeyOptionsValidationTests
{
    private const string GoodKey = "a-good-key-0123456789";
    private const string OtherKey = "another-good-key-9876543210";

    [Fact]
    public async Task A_ten_character_key_refuses_to_start_naming_the_setting_but_not_the_key()
    {
        var failure = await StartupFailureAsync(Key(0, "admin", "0123456789", "admin"));
        Assert.Contains("ApiKeys:Keys:0:Key must be at least 16 characters; it has 10", failure);
        Assert.DoesNotContain("0123456789", failure);
    }

    [Fact]
    public async Task A_key_without_a_name_refuses_to_start()
    {
        var failure = await StartupFailureAsync(Key(0, "  ", GoodKey, "read"));
        Assert.Contains("ApiKeys:Keys:0:Name is required", failure);
    }

    [Fact]
    public async Task An_unknown_scope_refuses_to_start_naming_the_scope_setting()
    {
        var failure = await StartupFailureAsync(Key(0, "crm", GoodKey, "read", "write"));
        Assert.Contains("ApiKeys:Keys:0:Scopes:1 is 'write'; a scope is one of: ingest, read, admin", failure);
    }

    [Fact]
    public async Task Scopes_are_case_sensitive_as_documented()
    {
        var failure = await StartupFailureAsync(Key(0, "crm", GoodKey, "Read"));
        Assert.Contains("ApiKeys:Keys:0:Scopes:0 is 'Read'", failure);
    }

    [Fact]
    public async Task A_key_without_scopes_refuses_to_start()
    {
        var failure = await StartupFailureAsync(Key(0, "crm", GoodKey));
        Assert.Contains("ApiKeys:Keys:0:Scopes is empty", failure);
    }

    [Fact]
    public async Task The_same_key_twice_refuses_to_start_naming_both_settings()
    {
        var failure = await StartupFailureAsync(Key(0, "crm", GoodKey, "read"), Key(1, "backend", GoodKey, "ingest"));
        Assert.Contains("ApiKeys:Keys:1:Key is the same key as ApiKeys:Keys:0:Key", failure);
    }

    [Fact]
    public async Task The_same_name_twice_refuses_to_start_whatever_its_case()
    {
        var failure = await StartupFailureAsync(Key(0, "crm", GoodKey, "read"), Key(1, "CRM", OtherKey, "ingest"));
        Assert.Contains("ApiKeys:Keys:1:Name 'CRM' is already the name of ApiKeys:Keys:0", failure);
    }

    [Fact]
    public async Task A_key_with_white_space_refuses_to_start()
    {
        var failure = await StartupFailureAsync(Key(0, "crm", "a-good-key 0123456789", "read"));
        Assert.Contains("ApiKeys:Keys:0:Key must not contain white space", failure);
    }

    [Fact]
    public async Task Rate_limits_out_of_range_refuse_to_start()
    {
        var keyRate = new Dictionary<string, string?>(Key(0, "crm", GoodKey, "read")) { ["ApiKeys:Keys:0:PermitsPerSecond"] = "0" };
        var failure = await StartupFailureAsync(keyRate, new Dictionary<string, string?> { ["ApiKeys:Burst"] = "0" });
        Assert.Contains("ApiKeys:Keys:0:PermitsPerSecond must be from 1 to 1000000; it is 0", failure);
        Assert.Contains("ApiKeys:Burst must be from 1 to 1000000; it is 0", failure);
    }

    [Fact]
    public async Task Every_broken_rule_is_reported_at_once()
    {
        var failure = await StartupFailureAsync(Key(0, "", "short", "write"));
        Assert.Contains("ApiKeys:Keys:0:Name", failure);
        Assert.Contains("ApiKeys:Keys:0:Key", failure);
        Assert.Contains("ApiKeys:Keys:0:Scopes:0", failure);
    }

    [Fact]
    public async Task Keys_that_follow_the_rules_start()
    {
        using var host = Build(Key(0, "admin", GoodKey, "ingest", "read", "admin"), Key(1, "crm", OtherKey, "read"));
        await host.StartAsync();
        var options = host.Services.GetRequiredService<IOptionsMonitor<ApiKeyOptions>>().CurrentValue;
        Assert.Equal(["admin", "crm"], options.Keys.Select(k => k.Name));
        await host.StopAsync();
    }

    private static Dictionary<string, string?> Key(int index, string name, string key, params string[] scopes)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"ApiKeys:Keys:{index}:Name"] = name,
            [$"ApiKeys:Keys:{index}:Key"] = key,
        };
        for (var i = 0; i < scopes.Length; i++)
        {
            settings[$"ApiKeys:Keys:{index}:Scopes:{i}"] = scopes[i];
        }

        return settings;
    }

    private static async Task<string> StartupFailureAsync(params Dictionary<string, string?>[] settings)
    {
        using var host = Build(settings);
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        return failure.Message;
    }

    private static IHost Build(params Dictionary<string, string?>[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.SelectMany(s => s));
        builder.Services.AddApiKeyOptions();
        return builder.Build();
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.ServiceDefaults.Security;

/// <summary>
/// The documented rules for <c>ApiKeys</c>, checked at start-up and on every configuration reload. Data annotations
/// do not descend into <see cref="ApiKeyOptions.Keys"/>, so the rules for each key live here, and each failure names
/// the setting to fix (<c>ApiKeys:Keys:0:Key</c>) without ever echoing a secret.
/// </summary>
public sealed class ApiKeyOptionsValidator : IValidateOptions<ApiKeyOptions>
{
    public const int MinimumKeyLength = 16;
    public const int MaximumRate = 1_000_000;

    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var failures = new List<string>();
        Rate($"{ApiKeyOptions.Section}:PermitsPerSecond", options.PermitsPerSecond, failures);
        Rate($"{ApiKeyOptions.Section}:Burst", options.Burst, failures);

        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var setting = $"{ApiKeyOptions.Section}:Keys:{i}";
            if (options.Keys[i] is not { } key)
            {
                failures.Add($"{setting} is empty; give it a Name, a Key and Scopes.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(key.Name))
            {
                failures.Add($"{setting}:Name is required: it says who holds the key.");
            }
            else if (!names.TryAdd(key.Name, setting))
            {
                failures.Add($"{setting}:Name '{key.Name}' is already the name of {names[key.Name]}; each key needs its own name (compared ignoring case).");
            }

            if (string.IsNullOrEmpty(key.Key))
            {
                failures.Add($"{setting}:Key is required.");
            }
            else
            {
                if (key.Key.Length < MinimumKeyLength)
                {
                    failures.Add($"{setting}:Key must be at least {MinimumKeyLength} characters; it has {key.Key.Length}. Generate one with 'openssl rand -hex 24'.");
                }

                // A presented key is trimmed and travels in an HTTP header, so a key with white space or control
                // characters could never match.
                if (key.Key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                {
                    failures.Add($"{setting}:Key must not contain white space or control characters.");
                }

                if (!keys.TryAdd(key.Key, setting))
                {
                    failures.Add($"{setting}:Key is the same key as {keys[key.Key]}:Key; every key must be unique, so a request names one holder.");
                }
            }

            if (key.Scopes.Count == 0)
            {
                failures.Add($"{setting}:Scopes is empty; give the key at least one of: {string.Join(", ", ScopeNames)}.");
            }

            for (var s = 0; s < key.Scopes.Count; s++)
            {
                if (!Scopes.All.Contains(key.Scopes[s] ?? ""))
                {
                    failures.Add($"{setting}:Scopes:{s} is '{key.Scopes[s]}'; a scope is one of: {string.Join(", ", ScopeNames)}.");
                }
            }

            if (key.PermitsPerSecond is { } perSecond)
            {
                Rate($"{setting}:PermitsPerSecond", perSecond, failures);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static readonly string[] ScopeNames = [Scopes.Ingest, Scopes.Read, Scopes.Admin];

    private static void Rate(string setting, int value, List<string> failures)
    {
        if (value is < 1 or > MaximumRate)
        {
            failures.Add($"{setting} must be from 1 to {MaximumRate}; it is {value}.");
        }
    }
}

public static class ApiKeyOptionsRegistration
{
    /// <summary>Binds <c>ApiKeys</c> and refuses to start when a key breaks a rule (see <see cref="ApiKeyOptionsValidator"/>).</summary>
    public static IServiceCollection AddApiKeyOptions(this IServiceCollection services)
    {
        services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>());
        return services;
    }
}

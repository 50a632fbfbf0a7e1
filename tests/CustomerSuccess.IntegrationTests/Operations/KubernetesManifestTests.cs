using System.Diagnostics;
using System.Text.Json;
using CustomerSuccess.ServiceDefaults.Security;
using Microsoft.Extensions.Configuration;

namespace CustomerSuccess.IntegrationTests.Operations;

/// <summary>
/// deploy/k8s is what a cluster would accept: every object validates against the Kubernetes API schemas
/// (kubernetes-models, pinned in deploy/tools), each Deployment is sized, probed, scraped, locked down, budgeted and
/// autoscaled (validate-k8s.mjs says what it checks), and the Secret example cannot start a service unchanged.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string Root = RepositoryRoot();
    private static readonly string Manifests = Path.Combine(Root, "deploy", "k8s");
    private static readonly string Validator = Path.Combine(Root, "deploy", "tools", "validate-k8s.mjs");

    [Fact]
    public async Task Every_manifest_is_listed_in_the_kustomization_and_validates_against_the_Kubernetes_schemas()
    {
        AssertValidatorInstalled();

        var (exitCode, output) = await RunAsync("node", null, Validator, "files", Manifests);

        Assert.True(exitCode == 0, $"validate-k8s.mjs files deploy/k8s exited {exitCode}:\n{output}");
        Assert.Contains("schema ok  disruption-budgets.yaml PodDisruptionBudget/healthscore (policy/v1)", output);
        Assert.Contains("schema ok  autoscaling.yaml HorizontalPodAutoscaler/renewal (autoscaling/v2)", output);
    }

    [Fact]
    public async Task The_kustomize_rendering_validates_against_the_Kubernetes_schemas_with_every_object_namespaced()
    {
        AssertValidatorInstalled();

        var (renderExit, rendered) = await RunAsync("kubectl", null, "kustomize", Manifests);
        Assert.True(renderExit == 0, $"kubectl kustomize deploy/k8s exited {renderExit}:\n{rendered}");

        var (exitCode, output) = await RunAsync("node", rendered, Validator, "rendered", "-");

        Assert.True(exitCode == 0, $"validate-k8s.mjs rendered exited {exitCode}:\n{output}");
        // 4 Deployments, 4 Services, 4 HorizontalPodAutoscalers, 4 PodDisruptionBudgets.
        Assert.Equal(16, output.Split('\n').Count(line => line.StartsWith("schema ok  rendered ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_secret_examples_placeholder_keys_make_a_service_refuse_to_start_and_real_keys_do_not()
    {
        AssertValidatorInstalled();
        var (exitCode, output) = await RunAsync("node", null, Validator, "secret-data", Path.Combine(Manifests, "secret.example.yaml"));
        Assert.True(exitCode == 0, $"validate-k8s.mjs secret-data exited {exitCode}:\n{output}");
        // Environment variables as the pods get them from the Secret: __ separates configuration sections.
        var example = JsonSerializer.Deserialize<Dictionary<string, string>>(output)!
            .ToDictionary(entry => entry.Key.Replace("__", ":", StringComparison.Ordinal), entry => entry.Value);

        var unchanged = Validate(example);
        Assert.True(unchanged.Failed, "The Secret example's placeholder API keys pass the validation: a forgotten placeholder would start a service.");
        Assert.Contains($"ApiKeys:Keys:0:Key must be at least {ApiKeyOptionsValidator.MinimumKeyLength} characters", unchanged.FailureMessage);
        Assert.Contains($"ApiKeys:Keys:1:Key must be at least {ApiKeyOptionsValidator.MinimumKeyLength} characters", unchanged.FailureMessage);

        // Filled in as its comment says (openssl rand -hex 24), the same Secret is accepted: only the placeholders fail.
        var filledIn = new Dictionary<string, string>(example)
        {
            ["ApiKeys:Keys:0:Key"] = "5f0c7a9e3b1d4c2a8e6f0b9d7c5a3e1f2b4d6c8a0e9f7b5d",
            ["ApiKeys:Keys:1:Key"] = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718",
        };
        var accepted = Validate(filledIn);
        Assert.True(accepted.Succeeded, accepted.FailureMessage);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(Dictionary<string, string> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        var options = configuration.GetSection(ApiKeyOptions.Section).Get<ApiKeyOptions>() ?? new ApiKeyOptions();
        return new ApiKeyOptionsValidator().Validate(name: null, options);
    }

    private static void AssertValidatorInstalled()
    {
        var models = Path.Combine(Root, "deploy", "tools", "node_modules", "kubernetes-models");
        Assert.True(Directory.Exists(models), $"The Kubernetes manifest validator is not installed ({models} is missing): run deploy/tools/install.sh.");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CustomerSuccess.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No CustomerSuccess.sln above {AppContext.BaseDirectory}.");
    }
}

using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using CustomerSuccess.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CustomerSuccess.IntegrationTests.Operations;

/// <summary>
/// Each service's OpenAPI document passes Redocly's recommended rules, so client generators can use it
/// (operationIds, servers, licence, 4xx responses, security). Runs the real linter pinned in deploy/tools.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class OpenApiLintTests(Platform platform)
{
    public static TheoryData<string> Services => ["ingestion", "healthscore", "lifecycle", "renewal"];

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_service_publishes_an_openapi_document_that_passes_the_recommended_lint_rules(string service)
    {
        var redocly = Path.Combine(RepositoryRoot(), "deploy", "tools", "node_modules", ".bin", "redocly");
        Assert.True(File.Exists(redocly), $"The OpenAPI linter is not installed ({redocly} is missing): run deploy/tools/install.sh.");

        // A host name as a deployment would have: the document's server is the address it was fetched from.
        var baseAddress = new Uri($"http://{service}.customersuccess.test");
        using var client = ClientFor(service, baseAddress);
        var document = await client.GetStringAsync("/swagger/v1/swagger.json");
        using (var parsed = JsonDocument.Parse(document))
        {
            Assert.Equal(baseAddress.GetLeftPart(UriPartial.Authority), parsed.RootElement.GetProperty("servers")[0].GetProperty("url").GetString());
        }

        var file = Path.Combine(Path.GetTempPath(), $"customersuccess-{service}-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, document);
        try
        {
            var (exitCode, output) = await RunAsync(redocly, "lint", "--extends", "recommended", "--format", "stylish", file);
            Assert.True(exitCode == 0, $"redocly lint of the {service} document exited {exitCode}:\n{output}");
            // Warnings do not change the exit code, but a generator trips over what they point at as well.
            Assert.False(LintWarning().IsMatch(output), $"redocly lint of the {service} document warns:\n{output}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry and no update check: the linter runs offline and says only what it found.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
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

    /// <summary>A problem row of the stylish format (<c>  12:5  warning  rule-name  text</c>), not the Node.js banner.</summary>
    [GeneratedRegex(@"^\s*\d+:\d+\s+warning\s", RegexOptions.Multiline)]
    private static partial Regex LintWarning();

    private HttpClient ClientFor(string service, Uri baseAddress)
    {
        var options = new WebApplicationFactoryClientOptions { BaseAddress = baseAddress };
        return service switch
        {
            "ingestion" => platform.Ingestion.CreateClient(options),
            "healthscore" => platform.HealthScore.CreateClient(options),
            "lifecycle" => platform.Lifecycle.CreateClient(options),
            _ => platform.Renewal.CreateClient(options),
        };
    }
}

using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CustomerSuccess.IntegrationTests.CrmFeed;

/// <summary>The feed's and the webhooks' OpenAPI operations pass Redocly's recommended rules (the linter pinned in deploy/tools), as Renewal's whole document must.</summary>
public sealed partial class CrmFeedOpenApiTests(CrmFeedHost host) : IClassFixture<CrmFeedHost>
{
    [Fact]
    public async Task The_crm_feed_operations_pass_the_recommended_lint_rules()
    {
        var redocly = Path.Combine(NodeSample.Directory, "..", "tools", "node_modules", ".bin", "redocly");
        Assert.True(File.Exists(redocly), $"The OpenAPI linter is not installed ({redocly} is missing): run deploy/tools/install.sh.");
        using var client = host.Client();
        var file = Path.Combine(Path.GetTempPath(), $"customersuccess-crm-feed-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, await client.GetStringAsync("/swagger/v1/swagger.json"));
        try
        {
            var start = new ProcessStartInfo(redocly) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "lint", "--extends", "recommended", "--format", "stylish", file })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["REDOCLY_TELEMETRY"] = "off";
            start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            var text = await output + await error;

            Assert.True(process.ExitCode == 0, $"redocly lint exited {process.ExitCode}:\n{text}");
            Assert.False(LintWarning().IsMatch(text), $"redocly lint warns:\n{text}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [GeneratedRegex(@"^\s*\d+:\d+\s+warning\s", RegexOptions.Multiline)]
    private static partial Regex LintWarning();
}

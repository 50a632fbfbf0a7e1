using System.Diagnostics;

namespace CustomerSuccess.IntegrationTests.Infrastructure;

/// <summary>
/// Runs a built service the way an operator does: <c>dotnet CustomerSuccess.&lt;Svc&gt;.dll [command…]</c> from the
/// service's project directory, with its settings as environment variables, and collects exit code and output.
/// </summary>
public static class ServiceProcess
{
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string service, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var project = service switch
        {
            "ingestion" => "Ingestion",
            "healthscore" => "HealthScore",
            "lifecycle" => "Lifecycle",
            _ => "Renewal",
        };
        var testBin = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var configuration = testBin.Parent!.Name;
        var root = testBin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CustomerSuccess.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var projectDirectory = Path.Combine(root.FullName, "services", project, $"CustomerSuccess.{project}");
        var dll = Path.Combine(projectDirectory, "bin", configuration, "net10.0", $"CustomerSuccess.{project}.dll");
        Assert.True(File.Exists(dll), $"{dll} is built");

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = projectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{service} {string.Join(' ', arguments)} did not exit within {timeout}: {await output}\n{await error}");
        }

        return (process.ExitCode, $"{await output}\n{await error}");
    }
}

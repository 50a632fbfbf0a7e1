using System.Collections.Concurrent;
using System.Diagnostics;

namespace CustomerSuccess.IntegrationTests.CrmFeed;

/// <summary>
/// Runs the Node.js tools in <c>deploy/crm-sample</c> (installed once per test run with <c>npm ci</c> from the
/// committed lock file). Node.js is required: without it these tests fail saying so, rather than pass silently.
/// </summary>
public static class NodeSample
{
    private static readonly Lazy<Task<string>> Installed = new(InstallAsync);

    public static string Directory { get; } = FindSampleDirectory();

    /// <summary>Runs <paramref name="script"/> to completion; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string script, IEnumerable<string> arguments, string? input = null, TimeSpan? timeout = null)
    {
        var node = await Installed.Value;
        using var process = Start(node, [script, .. arguments], redirectInput: input is not null);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish in time; output: {await output} {await error}");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>Starts a long-running script; its output lines are collected in <see cref="RunningScript.Lines"/>.</summary>
    public static async Task<RunningScript> StartAsync(string script, IEnumerable<string> arguments)
    {
        var node = await Installed.Value;
        var process = Start(node, [script, .. arguments], redirectInput: false);
        var running = new RunningScript(process);
        process.OutputDataReceived += (_, line) => running.Add(line.Data);
        process.ErrorDataReceived += (_, line) => running.Add(line.Data is null ? null : "stderr: " + line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    private static Process Start(string node, IEnumerable<string> arguments, bool redirectInput)
    {
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {node}.");
    }

    private static async Task<string> InstallAsync()
    {
        var node = OnPath("node");
        var npm = OnPath("npm");
        if (node is null || npm is null)
        {
            throw new InvalidOperationException(
                "The CRM feed's Node.js tests need node (20 or later) and npm on PATH, e.g. 'apt-get install nodejs npm'; they run deploy/crm-sample.");
        }

        if (!System.IO.Directory.Exists(Path.Combine(Directory, "node_modules")))
        {
            var start = new ProcessStartInfo(npm, "ci --no-audit --no-fund")
            {
                WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            using var install = Process.Start(start)!;
            var output = install.StandardOutput.ReadToEndAsync();
            var error = install.StandardError.ReadToEndAsync();
            await install.WaitForExitAsync();
            if (install.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci in {Directory} failed ({install.ExitCode}): {await output} {await error}");
            }
        }

        return node;
    }

    private static string? OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);

    private static string FindSampleDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "deploy", "crm-sample");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"deploy/crm-sample not found above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A Node.js script running in the background; killed with its children on dispose.</summary>
public sealed class RunningScript(Process process) : IDisposable
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>The exit code once the script has ended, else null.</summary>
    public int? ExitCode => process.HasExited ? process.ExitCode : null;

    internal void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }
}

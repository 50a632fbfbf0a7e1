using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using CustomerSuccess.IntegrationTests.Infrastructure;
using Npgsql;

namespace CustomerSuccess.IntegrationTests.Operations;

/// <summary>
/// The shipped Prometheus rules and configuration pass <c>promtool</c>, and a real Prometheus scrapes a service on a
/// real TCP port and answers queries about it. Needs Debian's <c>prometheus</c> package (promtool and the server).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PrometheusTests(Platform platform)
{
    private static readonly string Observability = Path.Combine(RepositoryRoot(), "deploy", "observability");

    [Fact]
    public async Task The_alert_rules_and_the_compose_configuration_pass_promtool()
    {
        var rules = await RunAsync(Tool("promtool"), "check", "rules", Path.Combine(Observability, "alerts.yml"));
        Assert.True(rules.ExitCode == 0, $"promtool check rules:\n{rules.Output}");
        var config = await RunAsync(Tool("promtool"), "check", "config", Path.Combine(Observability, "prometheus.yml"));
        Assert.True(config.ExitCode == 0, $"promtool check config:\n{config.Output}");
    }

    [Fact]
    public async Task A_real_prometheus_scrapes_a_service_and_answers_queries_about_it()
    {
        // Its own schema: a second Ingestion on the fixture's schema would run a second broker relay over the same log.
        var schema = $"ingestion_scraped_{Guid.NewGuid():N}"[..30];
        var settings = new Dictionary<string, string>(platform.SettingsFor("ingestion")) { ["EventStore:Schema"] = schema };
        var servicePort = FreeLoopbackPort();
        var prometheusPort = FreeLoopbackPort();
        var directory = Directory.CreateTempSubdirectory("customersuccess-prometheus-");
        Process? prometheus = null;
        Process? ingestion = null;
        try
        {
            // A process of its own, as deployed: hosts in the test process share meters, and one disposed mid-run
            // would end the shared instruments' streams for the others.
            var environment = settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
            environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{servicePort}";
            ingestion = Start("dotnet", environment, ServiceDll("Ingestion"));
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{servicePort}"), Timeout = TimeSpan.FromSeconds(10) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Platform.IngestKey);
            var customerId = Envelopes.NewCustomerId("scraped");
            await Eventually.ReachesAsync(async () => (await client.PostAsJsonAsync("/v1/events", Envelopes.Usage(customerId, $"{customerId}-1"))).StatusCode,
                status => status == HttpStatusCode.Accepted, "the Ingestion process to accept an event");

            var config = Path.Combine(directory.FullName, "prometheus.yml");
            await File.WriteAllTextAsync(config, $"""
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: customersuccess
                    static_configs:
                      - targets: ["127.0.0.1:{servicePort}"]
                        labels: {"{"} service: ingestion {"}"}
                """);
            prometheus = Start(Tool("prometheus"), new Dictionary<string, string>(),
                $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory.FullName, "data")}",
                $"--web.listen-address=127.0.0.1:{prometheusPort}");

            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{prometheusPort}"), Timeout = TimeSpan.FromSeconds(5) };
            await Eventually.ReachesAsync(() => QueryAsync(api, "up{job=\"customersuccess\",service=\"ingestion\"} == 1"), r => r.Count == 1,
                "Prometheus to scrape Ingestion successfully");
            await Eventually.ReachesAsync(() => QueryAsync(api, "customersuccess_ingestion_events_accepted_total{customersuccess_api_key=\"product-backend\"} >= 1"), r => r.Count == 1,
                "the accepted event in Prometheus");
            await Eventually.ReachesAsync(() => QueryAsync(api, "customersuccess_relay_lag{customersuccess_relay=\"broker-relay:All\"}"), r => r.Count == 1,
                "the relay lag of Ingestion's broker relay in Prometheus");
            await Eventually.ReachesAsync(() => QueryAsync(api, "customersuccess_health_status{customersuccess_health_check=\"postgres\"} == 1"), r => r.Count == 1,
                "Ingestion's postgres health check as healthy in Prometheus");
        }
        finally
        {
            foreach (var process in new[] { prometheus, ingestion })
            {
                if (process is not null)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                    process.Dispose();
                }
            }

            directory.Delete(recursive: true);
            await using var connection = new NpgsqlConnection(platform.Servers.Postgres);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The result vector of an instant query (empty while nothing matches).</summary>
    private static async Task<IReadOnlyList<JsonElement>> QueryAsync(HttpClient api, string query)
    {
        var answer = await api.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(query)}");
        Assert.Equal("success", answer.GetProperty("status").GetString());
        return [.. answer.GetProperty("data").GetProperty("result").EnumerateArray()];
    }

    private static string Tool(string name)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
        Assert.True(path is not null, $"{name} is not installed: apt-get install -y prometheus (.ci/run installs it).");
        return path;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Process Start(string fileName, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        // A service reads its appsettings.json from its project directory, as ServiceProcess runs it.
        var workingDirectory = arguments.Length > 0 && arguments[0].EndsWith(".dll", StringComparison.Ordinal)
            ? Path.GetFullPath(Path.Combine(Path.GetDirectoryName(arguments[0])!, "..", "..", ".."))
            : Environment.CurrentDirectory;
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        // Drained so a chatty server never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, $"{await output}\n{await error}");
    }

    /// <summary>The built service next to these tests (same configuration), as <see cref="ServiceProcess"/> runs it.</summary>
    private static string ServiceDll(string project)
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Path.Combine(RepositoryRoot(), "services", project, $"CustomerSuccess.{project}", "bin", configuration, "net10.0", $"CustomerSuccess.{project}.dll");
        Assert.True(File.Exists(dll), $"{dll} is built");
        return dll;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CustomerSuccess.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root was not found above the test binaries.");
    }
}

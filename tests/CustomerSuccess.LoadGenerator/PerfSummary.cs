using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CustomerSuccess.LoadGenerator;

/// <summary>
/// <c>perf-summary --input FILE --pids name=pid,... [--out FILE]</c>: summarises <c>perf script -F comm,pid,tid,ip,sym</c>
/// output of a capture over the benchmark's processes (deploy/benchmark.sh --perf DIR): per process its samples by
/// stage (each sample charged to the first stage whose pattern matches its thread or stack, in the order below), its
/// threads, and its top self frames (the leaf-most frame of each sample, JIT tiers merged).
/// </summary>
public static partial class PerfSummary
{
    /// <summary>Stages in priority order; a sample goes to the first that matches its thread name or any frame of its stack.</summary>
    private static readonly (string Stage, Regex Thread, Regex Frames)[] _stages =
    [
        ("JIT (tiered compilation thread)", new Regex("^\\.NET Tiered|^\\.NET TieredCom"), new Regex("$^")),
        ("GC", new Regex("GC|^\\.NET BGC"), new Regex("WKS::gc_heap|SVR::gc_heap|GCHeap::")),
        ("relay (daemon page → broker publish)", new Regex("$^"), new Regex("EventLogRelay|BrokerRelay|HealthChangeRelay|LifecycleChangeRelay|RenewalRelay|Events\\.Daemon|Subscriptions|CloudEventPublisher")),
        ("consume (broker → apply → commit)", new Regex("$^"), new Regex("CustomerEventsConsumer|EventsConsumer|HealthFactsConsumer|Consume\\(|MassTransit\\.Middleware|ReceivePipe")),
        ("accept path (HTTP → validate → commit)", new Regex("$^"), new Regex("CustomerEventLog|Ingestion\\.Envelopes|IngestionEndpoints|EventsEndpoint|Microsoft\\.AspNetCore|Kestrel")),
        ("load generator sending", new Regex("$^"), new Regex("LoadSender|System\\.Net\\.Http")),
        ("RabbitMQ client (unattributed)", new Regex("$^"), new Regex("RabbitMQ\\.Client")),
        ("Npgsql (unattributed)", new Regex("$^"), new Regex("Npgsql")),
        ("kernel / native (no managed frame)", new Regex("$^"), new Regex("$^")),
    ];

    public static async Task<int> RunAsync(Arguments arguments, CancellationToken cancellationToken)
    {
        var names = arguments.Require("pids").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('='))
            .ToDictionary(p => int.Parse(p[1], CultureInfo.InvariantCulture), p => p[0]);
        var processes = new Dictionary<int, ProcessSamples>();
        ProcessSamples? current = null;
        string thread = "";
        var stack = new List<string>();

        void Flush()
        {
            if (current is not null)
            {
                current.Add(thread, stack);
            }

            stack.Clear();
            current = null;
        }

        foreach (var line in File.ReadLines(arguments.Require("input")))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (line.Length == 0)
            {
                Flush();
                continue;
            }

            if (!char.IsWhiteSpace(line[0]))
            {
                Flush();
                var header = HeaderPattern().Match(line);
                if (header.Success && int.TryParse(header.Groups["pid"].Value, CultureInfo.InvariantCulture, out var pid) && names.ContainsKey(pid))
                {
                    thread = header.Groups["comm"].Value.Trim();
                    if (!processes.TryGetValue(pid, out current))
                    {
                        current = processes[pid] = new ProcessSamples(names[pid]);
                    }
                }

                continue;
            }

            if (current is not null)
            {
                stack.Add(Symbol(line.Trim()));
            }
        }

        Flush();
        var report = new StringBuilder();
        foreach (var process in processes.Values.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            process.Write(report, arguments.GetInt("top", 12));
        }

        Console.Write(report);
        if (arguments.GetOrNull("out") is { } output)
        {
            await File.WriteAllTextAsync(output, report.ToString(), cancellationToken);
        }

        return 0;
    }

    /// <summary>"ip sym" (perf script's stack line) → the symbol, without its offset, module or JIT tier suffix.</summary>
    private static string Symbol(string frame)
    {
        var space = frame.IndexOf(' ', StringComparison.Ordinal);
        var symbol = space < 0 ? frame : frame[(space + 1)..];
        symbol = OffsetPattern().Replace(symbol, "");
        symbol = TierPattern().Replace(symbol, "");
        return symbol.Length == 0 || symbol == "[unknown]" ? "[unknown]" : symbol;
    }

    [GeneratedRegex("^(?<comm>.+?)\\s+(?<pid>\\d+)/(?<tid>\\d+)")]
    private static partial Regex HeaderPattern();

    [GeneratedRegex("\\+0x[0-9a-f]+|\\s+\\([^)]*\\)$")]
    private static partial Regex OffsetPattern();

    [GeneratedRegex("\\[(Optimized|OptimizedTier1|Tier0|Tier1|QuickJitted|Instrumented|PreJIT|OSR)[^\\]]*\\]")]
    private static partial Regex TierPattern();

    private sealed class ProcessSamples(string name)
    {
        private readonly Dictionary<string, int> _stages = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _threads = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _self = new(StringComparer.Ordinal);
        private int _samples;

        public string Name => name;

        public void Add(string thread, List<string> stack)
        {
            _samples++;
            var threadKind = DigitsPattern().Replace(thread, "#");
            _threads[threadKind] = _threads.GetValueOrDefault(threadKind) + 1;
            var leaf = stack.FirstOrDefault(f => f != "[unknown]") ?? "[unknown]";
            _self[leaf] = _self.GetValueOrDefault(leaf) + 1;
            var stage = StageOf(thread, stack);
            _stages[stage] = _stages.GetValueOrDefault(stage) + 1;
        }

        private static string StageOf(string thread, List<string> stack)
        {
            foreach (var (stage, threadPattern, frames) in PerfSummary._stages)
            {
                if (threadPattern.IsMatch(thread) || stack.Any(frames.IsMatch))
                {
                    return stage;
                }
            }

            return stack.Any(f => f.Contains('.', StringComparison.Ordinal) && f.Contains("::", StringComparison.Ordinal))
                ? "other managed"
                : "kernel / native (no managed frame)";
        }

        public void Write(StringBuilder report, int top)
        {
            string Share(int n) => (100.0 * n / Math.Max(1, _samples)).ToString("F1", CultureInfo.InvariantCulture) + " %";
            report.AppendLine(CultureInfo.InvariantCulture, $"#### {name} ({_samples} samples)");
            report.AppendLine();
            report.AppendLine("| stage | share |");
            report.AppendLine("|---|---|");
            foreach (var (stage, n) in _stages.OrderByDescending(s => s.Value))
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"| {stage} | {Share(n)} |");
            }

            report.AppendLine();
            report.AppendLine("Threads: " + string.Join(", ", _threads.OrderByDescending(t => t.Value).Take(6).Select(t => $"{t.Key} {Share(t.Value)}")));
            report.AppendLine();
            report.AppendLine("| top self frame | share |");
            report.AppendLine("|---|---|");
            foreach (var (frame, n) in _self.OrderByDescending(s => s.Value).Take(top))
            {
                var shown = frame.Length > 140 ? frame[..140] + "…" : frame;
                report.AppendLine(CultureInfo.InvariantCulture, $"| `{shown.Replace("|", "\\|", StringComparison.Ordinal)}` | {Share(n)} |");
            }

            report.AppendLine();
        }
    }

    [GeneratedRegex("\\d+")]
    private static partial Regex DigitsPattern();
}

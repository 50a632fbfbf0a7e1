using System.Diagnostics;
using System.Globalization;
using CustomerSuccess.Client;

namespace CustomerSuccess.LoadGenerator;

/// <summary>
/// The steady load of the fault suite (deploy/faults.sh): synthetic envelopes at a fixed rate, each batch retried with
/// the same ids until it is answered 202 — through Ingestion being killed, the broker or the database being down —
/// as a well-behaved product backend would. Every id answered 202 (accepted or duplicate) is written to the accepted
/// file with its type and the fault phase that was current when the batch was made (read from the phase file), so the
/// reconciliation can say per fault what was accepted, lost or doubled.
/// </summary>
public static class FaultLoad
{
    /// <summary>How long to keep retrying the batches still unanswered once the stop file appears.</summary>
    private static readonly TimeSpan s_drainDeadline = TimeSpan.FromMinutes(3);

    public static async Task<int> RunAsync(Arguments arguments, IIngestionApi ingestion, CancellationToken cancellationToken)
    {
        var rate = double.Parse(arguments.Get("rate", "200"), CultureInfo.InvariantCulture);
        var batchSize = Math.Max(1, (int)(rate / 10)); // about ten requests a second
        var phaseFile = arguments.Require("phase-file");
        var stopFile = arguments.Require("stop-file");
        var generator = arguments.Generator("fault", events: 50_000_000);
        await using var accepted = new StreamWriter(arguments.Require("accepted-file"), append: false) { AutoFlush = true };
        await using var unanswered = new StreamWriter(arguments.Require("unanswered-file"), append: false) { AutoFlush = true };

        long batches = 0, acceptedCount = 0, duplicates = 0, failedAttempts = 0, givenUp = 0;
        var clock = Stopwatch.StartNew();
        DateTimeOffset? stopSeenAt = null;
        using var source = generator.Generate().GetEnumerator();
        while (!cancellationToken.IsCancellationRequested)
        {
            if (File.Exists(stopFile))
            {
                break; // no new batches; one still unanswered was retried below until answered or the drain deadline
            }

            var wait = TimeSpan.FromSeconds(batches * batchSize / rate) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            var phase = ReadPhase(phaseFile);
            var batch = new List<EventEnvelope>(batchSize);
            while (batch.Count < batchSize && source.MoveNext())
            {
                batch.Add(source.Current with { Id = $"{phase}.{source.Current.Id}" });
            }

            if (batch.Count == 0)
            {
                break;
            }

            batches++;
            var answered = false;
            for (var attempt = 1; !answered; attempt++)
            {
                if (File.Exists(stopFile))
                {
                    stopSeenAt ??= DateTimeOffset.UtcNow;
                    if (DateTimeOffset.UtcNow - stopSeenAt > s_drainDeadline)
                    {
                        break;
                    }
                }

                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(20));
                    var result = await ingestion.PostEventsAsync(batch, timeout.Token);
                    acceptedCount += result.Accepted;
                    duplicates += result.Duplicates;
                    foreach (var envelope in batch)
                    {
                        await accepted.WriteLineAsync($"{envelope.Id}\t{envelope.Type}\t{phase}");
                    }

                    answered = true;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // Connection refused (Ingestion killed), 503 (event log down), a timeout: the same ids again, later.
                    failedAttempts++;
                    if (failedAttempts % 20 == 1)
                    {
                        Console.WriteLine($"  [{phase}] batch {batches} attempt {attempt} failed: {ex.GetType().Name}: {FirstLine(ex.Message)}");
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 200 * attempt)), cancellationToken);
                }
            }

            if (!answered)
            {
                givenUp += batch.Count;
                foreach (var envelope in batch)
                {
                    await unanswered.WriteLineAsync($"{envelope.Id}\t{envelope.Type}\t{phase}");
                }
            }
        }

        Console.WriteLine(FormattableString.Invariant(
            $"fault load: {batches} batches in {clock.Elapsed.TotalSeconds:F0} s, accepted {acceptedCount}, duplicates {duplicates} (answers to retried batches whose first answer was lost), failed attempts {failedAttempts}, never answered {givenUp}"));
        return 0;
    }

    private static string ReadPhase(string path)
    {
        try
        {
            var text = File.ReadAllText(path).Trim();
            return text.Length > 0 ? text : "warmup";
        }
        catch (IOException)
        {
            return "warmup";
        }
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}

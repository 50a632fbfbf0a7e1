using System.Diagnostics;
using System.Threading.Channels;
using CustomerSuccess.Client;
using Refit;

namespace CustomerSuccess.LoadGenerator;

/// <summary>What a send run achieved.</summary>
public sealed record SendResult(long Sent, long Accepted, long Duplicates, long Failed, long RetriedRequests, TimeSpan Elapsed)
{
    public double AcceptedPerSecond => Accepted / Math.Max(1e-9, Elapsed.TotalSeconds);
}

/// <summary>
/// Posts envelopes in batches through the Refit client, with bounded concurrency and, when a rate is given, paced so
/// batch k leaves no earlier than k × batch / rate seconds after the start (no catch-up bursts beyond the concurrency).
/// </summary>
public static class LoadSender
{
    public static async Task<SendResult> SendAsync(
        IIngestionApi ingestion, IEnumerable<EventEnvelope> envelopes, int batchSize, int concurrency, double? ratePerSecond,
        Action<long>? progress, CancellationToken cancellationToken)
    {
        // Each customer belongs to one worker, so two requests in flight never append to the same customer's stream.
        var queues = Enumerable.Range(0, concurrency)
            .Select(_ => Channel.CreateBounded<List<EventEnvelope>>(new BoundedChannelOptions(2) { SingleWriter = true, SingleReader = true }))
            .ToArray();
        long sent = 0, accepted = 0, duplicates = 0, failed = 0, retried = 0;
        var clock = Stopwatch.StartNew();

        var producer = Task.Run(async () =>
        {
            try
            {
                long batchIndex = 0;
                var buffers = Enumerable.Range(0, concurrency).Select(_ => new List<EventEnvelope>(batchSize)).ToArray();
                async Task FlushAsync(int worker)
                {
                    if (ratePerSecond is { } rate)
                    {
                        var wait = TimeSpan.FromSeconds(batchIndex * batchSize / rate) - clock.Elapsed;
                        if (wait > TimeSpan.Zero)
                        {
                            await Task.Delay(wait, cancellationToken);
                        }
                    }

                    batchIndex++;
                    await queues[worker].Writer.WriteAsync(buffers[worker], cancellationToken);
                    buffers[worker] = new List<EventEnvelope>(batchSize);
                }

                foreach (var envelope in envelopes)
                {
                    var worker = (int)((uint)StableHash(envelope.CustomerId) % (uint)concurrency);
                    buffers[worker].Add(envelope);
                    if (buffers[worker].Count == batchSize)
                    {
                        await FlushAsync(worker);
                    }
                }

                for (var worker = 0; worker < concurrency; worker++)
                {
                    if (buffers[worker].Count > 0)
                    {
                        await FlushAsync(worker);
                    }
                }
            }
            finally
            {
                foreach (var queue in queues)
                {
                    queue.Writer.TryComplete();
                }
            }
        }, cancellationToken);

        var workers = queues.Select(queue => Task.Run(async () =>
        {
            await foreach (var batch in queue.Reader.ReadAllAsync(cancellationToken))
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        var result = await ingestion.PostEventsAsync(batch, cancellationToken);
                        Interlocked.Add(ref accepted, result.Accepted);
                        Interlocked.Add(ref duplicates, result.Duplicates);
                        break;
                    }
                    catch (ApiException ex) when (attempt < 5 && (int)ex.StatusCode >= 500)
                    {
                        // same ids again: safe, ingestion de-duplicates
                        Interlocked.Increment(ref retried);
                        await Task.Delay(100 * attempt, cancellationToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        Interlocked.Add(ref failed, batch.Count);
                        await Console.Error.WriteLineAsync($"batch of {batch.Count} failed: {ex.GetType().Name}: {ex.Message}");
                        break;
                    }
                }

                var total = Interlocked.Add(ref sent, batch.Count);
                progress?.Invoke(total);
            }
        }, cancellationToken)).ToArray();

        await producer;
        await Task.WhenAll(workers);
        return new SendResult(sent, accepted, duplicates, failed, Interlocked.Read(ref retried), clock.Elapsed);
    }

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using CustomerSuccess.Client;
using CustomerSuccess.Contracts.Http;

namespace CustomerSuccess.LoadGenerator;

/// <summary>What a send run achieved.</summary>
public sealed record SendResult(long Sent, long Accepted, long Duplicates, long Failed, long RetriedRequests, TimeSpan Elapsed)
{
    public double AcceptedPerSecond => Accepted / Math.Max(1e-9, Elapsed.TotalSeconds);
}

/// <summary>One <c>POST /v1/events</c> body, serialised before the load starts, and the worker that sends it.</summary>
public sealed record PreparedBatch(int Worker, byte[] Body, int Count);

/// <summary>A load's request bodies, in the order they are sent.</summary>
public sealed record PreparedLoad(IReadOnlyList<PreparedBatch> Batches, int Concurrency)
{
    public long Events => Batches.Sum(b => (long)b.Count);
}

/// <summary>
/// Posts envelopes in batches with bounded concurrency and, when a rate is given, paced so a batch leaves no earlier
/// than (events before it) / rate seconds after the start (no catch-up bursts beyond the concurrency).
/// The bodies are serialised by <see cref="Prepare"/> before the clock starts: serialising while sending cost the
/// load generator about a tenth of the machine, CPU the services under test then did not get.
/// </summary>
public static class LoadSender
{
    /// <summary>
    /// Cuts the envelopes into JSON array bodies of <paramref name="batchSize"/>; each customer belongs to one worker,
    /// so two requests in flight never append to the same customer's stream.
    /// </summary>
    public static PreparedLoad Prepare(IEnumerable<EventEnvelope> envelopes, int batchSize, int concurrency)
    {
        var batches = new List<PreparedBatch>();
        var buffers = Enumerable.Range(0, concurrency).Select(_ => new List<EventEnvelope>(batchSize)).ToArray();
        void Flush(int worker)
        {
            batches.Add(new PreparedBatch(worker, JsonSerializer.SerializeToUtf8Bytes(buffers[worker], Ndjson.Options), buffers[worker].Count));
            buffers[worker].Clear();
        }

        foreach (var envelope in envelopes)
        {
            var worker = (int)((uint)StableHash(envelope.CustomerId) % (uint)concurrency);
            buffers[worker].Add(envelope);
            if (buffers[worker].Count == batchSize)
            {
                Flush(worker);
            }
        }

        for (var worker = 0; worker < concurrency; worker++)
        {
            if (buffers[worker].Count > 0)
            {
                Flush(worker);
            }
        }

        return new PreparedLoad(batches, concurrency);
    }

    /// <summary>An HTTP client for <see cref="SendAsync"/>: Ingestion's address and the API key as a bearer token.</summary>
    public static HttpClient IngestionClient(Uri ingestion, string apiKey)
    {
        var http = new HttpClient { BaseAddress = ingestion, Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return http;
    }

    public static async Task<SendResult> SendAsync(
        HttpClient ingestion, PreparedLoad load, double? ratePerSecond, Action<long>? progress, CancellationToken cancellationToken)
    {
        var queues = Enumerable.Range(0, load.Concurrency)
            .Select(_ => Channel.CreateBounded<PreparedBatch>(new BoundedChannelOptions(2) { SingleWriter = true, SingleReader = true }))
            .ToArray();
        long sent = 0, accepted = 0, duplicates = 0, failed = 0, retried = 0;
        var clock = Stopwatch.StartNew();

        var producer = Task.Run(async () =>
        {
            try
            {
                long before = 0;
                foreach (var batch in load.Batches)
                {
                    if (ratePerSecond is { } rate)
                    {
                        var wait = TimeSpan.FromSeconds(before / rate) - clock.Elapsed;
                        if (wait > TimeSpan.Zero)
                        {
                            await Task.Delay(wait, cancellationToken);
                        }
                    }

                    before += batch.Count;
                    await queues[batch.Worker].Writer.WriteAsync(batch, cancellationToken);
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
                        using var content = new ByteArrayContent(batch.Body);
                        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                        using var response = await ingestion.PostAsync("/v1/events", content, cancellationToken);
                        if (attempt < 8 && ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests))
                        {
                            // same ids again: safe, ingestion de-duplicates
                            Interlocked.Increment(ref retried);
                            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(100 * attempt), cancellationToken);
                            continue;
                        }

                        response.EnsureSuccessStatusCode();
                        var result = await response.Content.ReadFromJsonAsync<IngestionResult>(Ndjson.Options, cancellationToken)
                            ?? throw new InvalidOperationException("empty ingestion result");
                        Interlocked.Add(ref accepted, result.Accepted);
                        Interlocked.Add(ref duplicates, result.Duplicates);
                        break;
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

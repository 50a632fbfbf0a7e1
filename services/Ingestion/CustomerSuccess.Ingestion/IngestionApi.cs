using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.Ingestion.Envelopes;
using CustomerSuccess.Ingestion.EventLog;
using CustomerSuccess.ServiceDefaults;
using CustomerSuccess.ServiceDefaults.OpenApi;
using CustomerSuccess.ServiceDefaults.Problems;
using CustomerSuccess.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CustomerSuccess.Ingestion;

/// <summary>The public ingestion endpoints: <c>POST /v1/events</c> and the NDJSON backfill <c>POST /v1/events/bulk</c>.</summary>
public static class IngestionApi
{
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 64 };

    public static IEndpointRouteBuilder MapIngestionApi(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapV1().WithTags("Events");
        v1.MapPost("/events", PostEventsAsync)
            .WithName("postEvents")
            .RequireAuthorization(Scopes.Ingest)
            .DocumentsRequestBody<JsonElement>("One event envelope, or a JSON array of 1–1000.", "application/json")
            .Produces<IngestionResult>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Post one event envelope or an array of 1–1000; all or nothing.")
            .WithDescription(IngestionOptions.DeduplicationWindowText);
        v1.MapPost("/events/bulk", PostBulkAsync)
            .WithName("postEventsBulk")
            .RequireAuthorization(Scopes.Ingest)
            .DocumentsRequestBody<string>("One event envelope per line.", "application/x-ndjson")
            .Produces<BulkIngestionResult>()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Backfill: NDJSON, one envelope per line, streamed; invalid lines are rejected and reported, valid ones accepted.")
            .WithDescription(IngestionOptions.DeduplicationWindowText);
        return endpoints;
    }

    private static async Task<IResult> PostEventsAsync(
        HttpContext context, CustomerEventLog log, IngestionMetrics metrics, IOptions<IngestionOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (!context.Request.HasJsonContentType())
        {
            return UnsupportedMediaType("application/json");
        }

        if (context.Request.ContentLength > limits.MaxBodyBytes)
        {
            return TooLarge(limits.MaxBodyBytes);
        }

        var body = await ReadBodyAsync(context.Request.BodyReader, limits.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return TooLarge(limits.MaxBodyBytes);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.Value, JsonOptions);
        }
        catch (JsonException exception)
        {
            metrics.Rejected(IngestionMetrics.UnknownType, KeyName(context));
            return Results.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Malformed JSON",
                detail: $"The body is not valid JSON: {exception.Message}");
        }

        using (document)
        {
            var receivedAt = time.GetUtcNow();
            var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var events = new List<CustomerEvent>();
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                var count = root.GetArrayLength();
                if (count == 0 || count > limits.MaxBatchSize)
                {
                    errors[""] = [$"An array must hold 1 to {limits.MaxBatchSize} envelopes; it holds {count}."];
                }
                else
                {
                    var index = 0;
                    foreach (var item in root.EnumerateArray())
                    {
                        if (EnvelopeReader.Read(item, $"[{index}].", receivedAt, limits, errors) is { } read)
                        {
                            events.Add(read);
                        }

                        index++;
                    }
                }
            }
            else if (EnvelopeReader.Read(root, "", receivedAt, limits, errors) is { } single)
            {
                events.Add(single);
            }

            if (errors.Count > 0)
            {
                // All or nothing: every envelope of the request was refused, the valid ones too.
                foreach (var type in (root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root]).CountBy(IngestionMetrics.TypeOf))
                {
                    metrics.Rejected(type.Key, KeyName(context), type.Value);
                }

                return Results.ValidationProblem(
                    errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
                    title: "Invalid event envelopes",
                    detail: "Nothing from this request was accepted. Fix the listed items and send the whole request again.");
            }

            var result = await log.AppendAsync(events, KeyName(context), cancellationToken);
            return Results.Json(result, statusCode: StatusCodes.Status202Accepted);
        }
    }

    private static async Task<IResult> PostBulkAsync(
        HttpContext context, CustomerEventLog log, IngestionMetrics metrics, IOptions<IngestionOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (!IsNdjson(context.Request.ContentType))
        {
            return UnsupportedMediaType("application/x-ndjson");
        }

        // The body is streamed and bounded by line count and line length, not by Kestrel's default 30 MB cap
        // (100k lines of backfill are larger than that).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = null;
        }

        var reader = context.Request.BodyReader;
        var pending = new List<CustomerEvent>(limits.BulkCommitSize);
        var lineErrors = new List<BulkLineError>();
        int accepted = 0, duplicates = 0, rejected = 0, line = 0;
        var skippingLongLine = false;
        var lineLimitReached = false;

        async Task FlushAsync()
        {
            if (pending.Count == 0)
            {
                return;
            }

            var result = await log.AppendAsync(pending, KeyName(context), cancellationToken);
            accepted += result.Accepted;
            duplicates += result.Duplicates;
            pending.Clear();
        }

        void Reject(int number, IReadOnlyDictionary<string, string[]> errors, string type = IngestionMetrics.UnknownType)
        {
            rejected++;
            metrics.Rejected(type, KeyName(context));
            if (lineErrors.Count < MaxReportedLineErrors)
            {
                lineErrors.Add(new BulkLineError(number, errors));
            }
        }

        void Process(ReadOnlySequence<byte> bytes)
        {
            line++;
            if (line > limits.MaxBulkLines)
            {
                lineLimitReached = true;
                Reject(line, new Dictionary<string, string[]> { [""] = [$"A bulk request holds at most {limits.MaxBulkLines} lines; this line and any after it were not read."] });
                return;
            }

            if (IsBlank(bytes))
            {
                return;
            }

            var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            CustomerEvent? read = null;
            var type = IngestionMetrics.UnknownType;
            try
            {
                var jsonReader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = JsonOptions.MaxDepth });
                using var document = JsonDocument.ParseValue(ref jsonReader);
                if (!IsBlank(bytes.Slice(jsonReader.BytesConsumed)))
                {
                    // Two values on one line ({..}{..}) or trailing text: reject rather than silently keep the first.
                    errors[""] = ["A line must hold exactly one JSON envelope."];
                }
                else
                {
                    type = IngestionMetrics.TypeOf(document.RootElement);
                    read = EnvelopeReader.Read(document.RootElement, "", time.GetUtcNow(), limits, errors);
                }
            }
            catch (JsonException exception)
            {
                errors[""] = [$"The line is not valid JSON: {exception.Message}"];
            }

            if (read is not null)
            {
                pending.Add(read);
                return;
            }

            Reject(line, errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), type);
        }

        while (!lineLimitReached)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            while (!lineLimitReached && buffer.PositionOf((byte)'\n') is { } newline)
            {
                var bytes = buffer.Slice(0, newline);
                buffer = buffer.Slice(buffer.GetPosition(1, newline));
                if (skippingLongLine)
                {
                    skippingLongLine = false;
                    continue;
                }

                Process(bytes);
                if (pending.Count >= limits.BulkCommitSize)
                {
                    try
                    {
                        await FlushAsync();
                    }
                    catch (Exception exception) when (KnownExceptionHandler.IsStoreUnavailable(exception) || exception is TransientConflictException)
                    {
                        return PartlyCommitted(line, accepted, duplicates, rejected);
                    }
                }
            }

            if (!skippingLongLine && buffer.Length > limits.MaxBodyBytes)
            {
                // One line larger than a whole /v1/events body: reject it without buffering the rest of it.
                line++;
                Reject(line, new Dictionary<string, string[]> { [""] = [$"The line is longer than {limits.MaxBodyBytes} bytes."] });
                skippingLongLine = true;
            }

            if (skippingLongLine)
            {
                buffer = buffer.Slice(buffer.End);
            }

            if (read.IsCompleted)
            {
                if (!lineLimitReached && !skippingLongLine && buffer.Length > 0)
                {
                    Process(buffer);
                }

                reader.AdvanceTo(buffer.End);
                break;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }

        try
        {
            await FlushAsync();
        }
        catch (Exception exception) when (KnownExceptionHandler.IsStoreUnavailable(exception) || exception is TransientConflictException)
        {
            return PartlyCommitted(line, accepted, duplicates, rejected);
        }

        return Results.Ok(new BulkIngestionResult(accepted, duplicates, rejected, lineErrors));
    }

    /// <summary>The name of the API key that sent the request (every /v1 request is authenticated).</summary>
    private static string KeyName(HttpContext context) => context.User.Identity?.Name ?? "unknown";

    /// <summary>At most this many rejected lines are itemised in a bulk answer; <c>rejected</c> counts them all.</summary>
    private const int MaxReportedLineErrors = 1000;

    private static bool IsBlank(ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Reads the whole body, or returns null as soon as it exceeds <paramref name="maxBytes"/>.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(PipeReader reader, long maxBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            if (read.Buffer.Length > maxBytes)
            {
                reader.AdvanceTo(read.Buffer.End);
                return null;
            }

            if (read.IsCompleted)
            {
                var bytes = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return bytes;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <summary>
    /// The event log failed part-way through a bulk request: what was committed stays committed (it is idempotent),
    /// and the answer says how far it got so the client can resend the rest (or all of it, with the same ids).
    /// </summary>
    private static IResult PartlyCommitted(int line, int accepted, int duplicates, int rejected) => Results.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "Service unavailable",
        detail: $"The event log became unreachable at line {line}. Lines before the last committed batch are accepted; resend the request (ids make it safe).",
        extensions: new Dictionary<string, object?>
        {
            ["accepted"] = accepted,
            ["duplicates"] = duplicates,
            ["rejected"] = rejected,
            ["lastLineRead"] = line,
        });

    private static bool IsNdjson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && mediaType.MediaType.Value is "application/x-ndjson" or "application/jsonl" or "application/json" or "text/plain";

    private static IResult UnsupportedMediaType(string expected) => Results.Problem(
        statusCode: StatusCodes.Status415UnsupportedMediaType,
        title: "Unsupported media type",
        detail: $"Send the body as {expected}.");

    private static IResult TooLarge(long maxBytes) => Results.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Payload too large",
        detail: $"A request body may hold at most {maxBytes} bytes; split the batch or use POST /v1/events/bulk.");
}

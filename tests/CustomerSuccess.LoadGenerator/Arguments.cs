using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CustomerSuccess.Client;

namespace CustomerSuccess.LoadGenerator;

/// <summary><c>mode --name value ...</c></summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public string Mode { get; private set; } = "";

    public static Arguments Parse(string[] args)
    {
        var parsed = new Arguments { Mode = args.Length > 0 ? args[0] : "" };
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            parsed._values[args[i].TrimStart('-')] = args[i + 1];
        }

        return parsed;
    }

    public string? GetOrNull(string name) => _values.TryGetValue(name, out var value) ? value : null;

    public string Get(string name, string fallback) => GetOrNull(name) ?? fallback;

    public string Require(string name) => GetOrNull(name) ?? throw new ArgumentException($"--{name} is required");

    public int GetInt(string name, int fallback) => GetOrNull(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public long GetLong(string name, long fallback) => GetOrNull(name) is { } v ? long.Parse(v, CultureInfo.InvariantCulture) : fallback;

    /// <summary>
    /// The synthetic data set these arguments describe; ids start with <c>--prefix</c> (default: the given one), envelope
    /// ids with <c>--event-prefix</c> when given; <c>--days</c> days (default 365) up to <c>--until</c> (default today).
    /// </summary>
    public SyntheticCustomers Generator(string defaultPrefix, long? events = null)
    {
        var until = GetOrNull("until") is { } u
            ? DateTimeOffset.ParseExact(u, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        return new SyntheticCustomers(
            GetInt("seed", 42), GetInt("customers", 1000), events ?? GetLong("events", 100_000), until, Get("prefix", defaultPrefix), GetInt("days", 365), GetOrNull("event-prefix"));
    }
}

/// <summary>Envelopes as NDJSON lines, in the wire format of the API (camelCase, ISO-8601 with offset).</summary>
public static class Ndjson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static async Task<long> WriteAsync(Stream stream, IEnumerable<EventEnvelope> envelopes, CancellationToken cancellationToken)
    {
        long written = 0;
        var newline = "\n"u8.ToArray();
        foreach (var envelope in envelopes)
        {
            await JsonSerializer.SerializeAsync(stream, envelope, Options, cancellationToken);
            await stream.WriteAsync(newline, cancellationToken);
            written++;
        }

        return written;
    }

    public static int Size(EventEnvelope envelope) => Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(envelope, Options));
}

/// <summary>An NDJSON request body generated while it is sent (never held whole in memory).</summary>
public sealed class StreamingNdjsonContent(IEnumerable<EventEnvelope> envelopes) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await Ndjson.WriteAsync(stream, envelopes, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}

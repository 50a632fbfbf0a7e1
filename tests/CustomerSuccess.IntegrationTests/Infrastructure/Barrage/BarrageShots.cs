using System.Net;
using System.Net.Http.Headers;

namespace CustomerSuccess.IntegrationTests.Infrastructure;

internal sealed record GoodEvent(string Id, string Type);

internal enum ProblemCheck
{
    None,
    MalformedJson,
    WholeRequest,
    SingleEnvelope,
    Items,
}

internal enum Credential
{
    None,
    Bearer,
    ApiKeyHeader,
    Basic,
}

internal sealed record Outcome(int Status, string? MediaType, string Body, int Throttled);

/// <summary>One request of the barrage and what it must get back.</summary>
internal sealed record Shot(string Category, int Number, string Path, Credential Credential, string? Key, byte[] Body, string? ContentType, HttpStatusCode Status)
{
    public ProblemCheck Problem { get; init; }

    /// <summary>The service the request goes to: ingestion, lifecycle or renewal.</summary>
    public string Service { get; init; } = "ingestion";

    public HttpMethod Method { get; init; } = HttpMethod.Post;

    /// <summary>Send without Content-Length (chunked), so the server must stop reading by itself.</summary>
    public bool Unsized { get; init; }

    /// <summary>The events this request must have accepted (none unless the answer is 202 or a bulk 200).</summary>
    public IReadOnlyList<GoodEvent> Good { get; init; } = [];

    /// <summary>Array items the 400 problem must name, in order.</summary>
    public IReadOnlyList<int> BadItems { get; init; } = [];

    /// <summary>Bulk lines the 200 must report as rejected, in order.</summary>
    public int[] RejectedLines { get; init; } = [];

    public HttpRequestMessage Request()
    {
        var request = new HttpRequestMessage(Method, Path);
        if (Method != HttpMethod.Get && Method != HttpMethod.Delete)
        {
            request.Content = Unsized ? new UnsizedContent(Body) : new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
            }
        }

        switch (Credential)
        {
            case Credential.Bearer:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
                break;
            case Credential.Basic:
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Key);
                break;
            case Credential.ApiKeyHeader:
                request.Headers.TryAddWithoutValidation("X-Api-Key", Key);
                break;
        }

        return request;
    }

    public override string ToString() => $"{Category} #{Number} ({Service} {Method} {Path}, {Body.Length} bytes, {Credential})";

    /// <summary>A body of unknown length: sent chunked, as a streaming client would.</summary>
    private sealed class UnsizedContent(byte[] body) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < body.Length; offset += 64 * 1024)
            {
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(64 * 1024, body.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

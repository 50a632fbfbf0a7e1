using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CustomerSuccess.IntegrationTests.CrmFeed;

/// <summary>One webhook request as the receiver saw it.</summary>
public sealed record ReceivedWebhook(string? Id, string? Timestamp, string? Signature, string? ContentType, byte[] Body, DateTimeOffset ReceivedAt);

/// <summary>
/// A CRM's webhook receiver on Kestrel (loopback, any free port): records every request and answers with the next
/// scripted status, then with <see cref="DefaultStatus"/>.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<int> _script = new();
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    public int DefaultStatus { get; set; } = StatusCodes.Status200OK;

    /// <summary>Sent as <c>Retry-After</c> (seconds) with every non-2xx answer, when set.</summary>
    public int? RetryAfterSeconds { get; set; }

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync(params int[] script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        foreach (var status in script)
        {
            receiver._script.Enqueue(status);
        }

        app.MapPost("/hooks", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var headers = context.Request.Headers;
            receiver._received.Enqueue(new ReceivedWebhook(
                headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"], context.Request.ContentType, body.ToArray(), DateTimeOffset.UtcNow));
            var status = receiver._script.TryDequeue(out var scripted) ? scripted : receiver.DefaultStatus;
            if (status >= 300 && receiver.RetryAfterSeconds is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return status == StatusCodes.Status204NoContent ? Results.NoContent() : Results.Text($"receiver answered {status}", statusCode: status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(new Uri(address), "/hooks");
        return receiver;
    }

    public IReadOnlyList<ReceivedWebhook> For(string eventId) => Received.Where(r => r.Id == eventId).ToList();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using System.Net;

namespace CustomerSuccess.LoadGenerator;

/// <summary>
/// <c>faults-webhooks --port P --out FILE --stop-file F</c>: the fault suite's webhook receiver. It stays up through every
/// kill (it is not one of the killed processes), answers every delivery 200 and appends its <c>webhook-id</c> to FILE, one
/// per line, so <c>faults-feed --webhook-log FILE</c> can check that every CloudEvent of the feed store was delivered.
/// Stops when the stop file appears.
/// </summary>
public static class FaultWebhookReceiver
{
    public static async Task<int> RunAsync(Arguments arguments, CancellationToken cancellationToken)
    {
        var port = arguments.GetInt("port", 0);
        var output = arguments.Require("out");
        var stopFile = arguments.Require("stop-file");
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        await using var log = new StreamWriter(output, append: true) { AutoFlush = true };
        Console.WriteLine($"webhook receiver listening on http://127.0.0.1:{port}/");
        var received = 0;
        Task<HttpListenerContext>? next = null;
        while (!cancellationToken.IsCancellationRequested && !File.Exists(stopFile))
        {
            next ??= listener.GetContextAsync();
            if (await Task.WhenAny(next, Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None)) != next)
            {
                continue;
            }

            var context = await next;
            next = null;
            var id = context.Request.Headers["webhook-id"];
            if (!string.IsNullOrEmpty(id))
            {
                await log.WriteLineAsync(id);
                received++;
            }

            context.Response.StatusCode = (int)HttpStatusCode.OK;
            context.Response.Close();
        }

        Console.WriteLine($"webhook receiver: {received} deliveries received");
        return 0;
    }
}

using System.Text;
using CustomerSuccess.ServiceDefaults;
using CustomerSuccess.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace CustomerSuccess.EventSourcing.Messaging;

/// <summary>A message waiting in an error queue, with the fault MassTransit recorded on it.</summary>
public sealed record DeadLetter(string? MessageId, string? FaultExceptionType, string? FaultMessage, DateTimeOffset? FaultedAt);

/// <summary>An error queue's size and its first messages.</summary>
public sealed record DeadLetterQueue(string Queue, string ErrorQueue, uint Messages, IReadOnlyList<DeadLetter> First);

/// <summary>How many messages were moved back to the source queue.</summary>
public sealed record RedriveResult(string Queue, int Redriven);

/// <summary>
/// Inspects and re-drives the error queues of this service's consumers (<c>{queue}_error</c> → <c>{queue}</c>).
/// Re-driving is safe: consumers de-duplicate by event id. Each message is re-published with its headers
/// under publisher confirms before it is acknowledged in the error queue, so none is lost on the way.
/// </summary>
public sealed class DeadLetters(IOptions<RabbitMqOptions> options, ServiceIdentity service)
{
    private const string ErrorSuffix = "_error";

    public bool Owns(string queue) => queue.StartsWith(service.Name + "-", StringComparison.Ordinal) && !queue.EndsWith(ErrorSuffix, StringComparison.Ordinal);

    public async Task<DeadLetterQueue> PeekAsync(string queue, int count, CancellationToken cancellationToken)
    {
        await using var connection = await Connect(cancellationToken);
        if (!await HasErrorQueueAsync(connection, queue, cancellationToken))
        {
            return new DeadLetterQueue(queue, queue + ErrorSuffix, 0, []);
        }

        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var declared = await channel.QueueDeclarePassiveAsync(queue + ErrorSuffix, cancellationToken);
        var first = new List<DeadLetter>();
        for (var i = 0; i < count; i++)
        {
            // Unacknowledged gets go back to the queue when the channel closes: peeking changes nothing.
            var message = await channel.BasicGetAsync(queue + ErrorSuffix, autoAck: false, cancellationToken);
            if (message is null)
            {
                break;
            }

            var headers = message.BasicProperties.Headers;
            first.Add(new DeadLetter(
                message.BasicProperties.MessageId,
                Header(headers, "MT-Fault-ExceptionType"),
                Header(headers, "MT-Fault-Message"),
                DateTimeOffset.TryParse(Header(headers, "MT-Fault-Timestamp"), out var at) ? at : null));
        }

        return new DeadLetterQueue(queue, queue + ErrorSuffix, declared.MessageCount, first);
    }

    public async Task<RedriveResult> RedriveAsync(string queue, int max, CancellationToken cancellationToken)
    {
        await using var connection = await Connect(cancellationToken);
        if (!await HasErrorQueueAsync(connection, queue, cancellationToken))
        {
            return new RedriveResult(queue, 0);
        }

        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        var waiting = (await channel.QueueDeclarePassiveAsync(queue + ErrorSuffix, cancellationToken)).MessageCount;
        await channel.QueueDeclarePassiveAsync(queue, cancellationToken);

        // Only what was waiting when the re-drive began: a message that fails again returns to the error
        // queue while we are still moving, and must not be moved round and round.
        var limit = Math.Min(max, (int)Math.Min(waiting, int.MaxValue));
        var moved = 0;
        while (moved < limit)
        {
            var message = await channel.BasicGetAsync(queue + ErrorSuffix, autoAck: false, cancellationToken);
            if (message is null)
            {
                break;
            }

            var properties = new BasicProperties(message.BasicProperties) { Persistent = true };
            await channel.BasicPublishAsync("", queue, mandatory: true, properties, message.Body, cancellationToken);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
            moved++;
        }

        return new RedriveResult(queue, moved);
    }

    /// <summary>
    /// MassTransit creates an error queue with the first failure. A consumer queue without one has nothing to show;
    /// a queue that does not exist at all is unknown (the caller answers 404).
    /// </summary>
    private static async Task<bool> HasErrorQueueAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        try
        {
            // A failed passive declare closes its channel, hence a channel per probe.
            await using var probe = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await probe.QueueDeclarePassiveAsync(queue + ErrorSuffix, cancellationToken);
            return true;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            await using var probe = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await probe.QueueDeclarePassiveAsync(queue, cancellationToken);
            return false;
        }
    }

    private Task<IConnection> Connect(CancellationToken cancellationToken) =>
        new ConnectionFactory { Uri = new Uri(options.Value.Uri), ClientProvidedName = $"{service.Name}-dead-letters" }.CreateConnectionAsync(cancellationToken);

    private static string? Header(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value)
            ? value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                null => null,
                _ => value.ToString(),
            }
            : null;
}

/// <summary>The name of the running service (e.g. <c>healthscore</c>), which prefixes its queue names.</summary>
public sealed record ServiceIdentity(string Name);

public static class DeadLetterApi
{
    /// <summary><c>GET /v1/admin/dead-letters/{queue}</c> and <c>POST /v1/admin/dead-letters/{queue}/redrive</c> (admin scope).</summary>
    public static IEndpointRouteBuilder MapDeadLetterApi(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapV1().WithTags("Operations").RequireAuthorization(Scopes.Admin);
        admin.MapGet("/admin/dead-letters/{queue}", (string queue, int? peek, DeadLetters deadLetters, CancellationToken cancellationToken) =>
                OnQueueAsync(queue, deadLetters, async () => Results.Ok(await deadLetters.PeekAsync(queue, Math.Clamp(peek ?? 10, 0, 100), cancellationToken))))
            .WithName("getDeadLetters")
            .Produces<DeadLetterQueue>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Size of a consumer queue's error queue and its first messages with their faults.");
        admin.MapPost("/admin/dead-letters/{queue}/redrive", (string queue, int? max, DeadLetters deadLetters, CancellationToken cancellationToken) =>
                OnQueueAsync(queue, deadLetters, async () => Results.Ok(await deadLetters.RedriveAsync(queue, Math.Clamp(max ?? 10_000, 1, 1_000_000), cancellationToken))))
            .WithName("redriveDeadLetters")
            .Produces<RedriveResult>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Moves messages from the error queue back to the consumer queue (safe: consumers de-duplicate by event id).");
        return endpoints;
    }

    private static async Task<IResult> OnQueueAsync(string queue, DeadLetters deadLetters, Func<Task<IResult>> action)
    {
        if (!deadLetters.Owns(queue))
        {
            return UnknownQueue(queue);
        }

        try
        {
            return await action();
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            return UnknownQueue(queue);
        }
    }

    private static IResult UnknownQueue(string queue) => Results.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Unknown queue",
        detail: $"'{queue}' is not a consumer queue of this service.");
}

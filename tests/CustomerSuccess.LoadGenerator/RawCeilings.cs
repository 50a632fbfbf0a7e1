using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace CustomerSuccess.LoadGenerator;

/// <summary>The bare servers' rates for messages and rows of our size, on the same machine, in the same run.</summary>
public static class RawCeilings
{
    /// <summary>
    /// Publishes <paramref name="count"/> persistent messages of <paramref name="size"/> bytes to a durable queue with
    /// publisher confirms (<paramref name="inFlight"/> unconfirmed at most) while a consumer (prefetch 500, acks) drains
    /// it; returns messages/s from the first publish to the last consumed.
    /// </summary>
    public static async Task<double> RabbitMqAsync(Uri uri, int count, int size, int inFlight, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = uri };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        var queue = $"bench-raw-{Guid.NewGuid():N}";
        await using var consumerChannel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await consumerChannel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        await consumerChannel.BasicQosAsync(0, 500, false, cancellationToken);
        var consumed = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(consumerChannel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            await consumerChannel.BasicAckAsync(delivery.DeliveryTag, false, cancellationToken);
            if (Interlocked.Increment(ref consumed) == count)
            {
                done.TrySetResult();
            }
        };
        await consumerChannel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken);

        var options = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
        await using var publisher = await connection.CreateChannelAsync(options, cancellationToken);
        var body = new byte[size];
        Array.Fill(body, (byte)'x');
        var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
        var clock = Stopwatch.StartNew();
        var pending = new List<Task>(inFlight);
        for (var i = 0; i < count; i++)
        {
            pending.Add(publisher.BasicPublishAsync("", queue, false, properties, body, cancellationToken).AsTask());
            if (pending.Count == inFlight)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending);
        await done.Task.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
        var rate = count / clock.Elapsed.TotalSeconds;
        await consumerChannel.QueueDeleteAsync(queue, cancellationToken: cancellationToken);
        return rate;
    }

    /// <summary>
    /// Inserts <paramref name="count"/> rows (text id primary key + jsonb of <paramref name="size"/> bytes) with
    /// <paramref name="writers"/> connections, <paramref name="rowsPerCommit"/> rows per transaction; returns rows/s.
    /// </summary>
    public static async Task<double> PostgresAsync(string connectionString, int count, int size, int writers, int rowsPerCommit, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var table = $"bench_raw_{Guid.NewGuid():N}";
        await using (var create = dataSource.CreateCommand($"CREATE TABLE {table} (id text PRIMARY KEY, data jsonb NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var payload = $"{{\"p\":\"{new string('x', Math.Max(1, size - 8))}\"}}";
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async _ =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            while (true)
            {
                var first = Interlocked.Add(ref next, rowsPerCommit) - rowsPerCommit + 1;
                if (first >= count)
                {
                    return;
                }

                var n = Math.Min(rowsPerCommit, count - first);
                var ids = new string[n];
                var data = new string[n];
                for (var i = 0; i < n; i++)
                {
                    ids[i] = $"raw-{first + i:D9}";
                    data[i] = payload;
                }

                await using var insert = new NpgsqlCommand($"INSERT INTO {table} (id, data) SELECT * FROM unnest(@ids, @data::jsonb[])", connection);
                insert.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = ids });
                insert.Parameters.Add(new NpgsqlParameter("data", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = data });
                await insert.ExecuteNonQueryAsync(cancellationToken); // autocommit: one transaction per statement
            }
        }));
        var rate = count / clock.Elapsed.TotalSeconds;
        await using (var drop = dataSource.CreateCommand($"DROP TABLE {table}"))
        {
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        return rate;
    }
}

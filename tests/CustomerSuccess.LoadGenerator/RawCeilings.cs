using System.Diagnostics;
using JasperFx;
using JasperFx.Events;
using Marten;
using Npgsql;
using NpgsqlTypes;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Weasel.Core;

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

    /// <summary>
    /// Appends <paramref name="count"/> events of about <paramref name="size"/> bytes with Marten configured as the services
    /// configure it (string stream ids, Quick append, System.Text.Json, LISTEN/NOTIFY on append) into
    /// <paramref name="streams"/> streams, <paramref name="pageSize"/> events per session commit spread over the
    /// streams of one of <paramref name="writers"/> parallel writers (each owns every writers-th stream, as each request
    /// worker of the load owns its customers). With a <paramref name="ledger"/>, each page also does what a service does
    /// to stay exactly-once in effect: looks its event ids up in the applied-id ledger and records them in the same
    /// transaction. Returns events/s. No service code runs: this is the store's own ceiling for our pages.
    /// </summary>
    public static async Task<double> MartenAppendAsync(
        string connectionString, AppliedIdLedger ledger, int count, int streams, int pageSize, int writers, int size, CancellationToken cancellationToken)
    {
        var schema = $"bench_marten_{Guid.NewGuid():N}";
        using var store = DocumentStore.For(options =>
        {
            options.Connection(connectionString);
            options.DatabaseSchemaName = schema;
            options.Events.DatabaseSchemaName = schema;
            options.Events.StreamIdentity = StreamIdentity.AsString;
            options.Events.AppendMode = EventAppendMode.Quick;
            options.Events.UseListenNotifyForEventAppends = true;
            options.UseSystemTextJsonForSerialization(EnumStorage.AsString);
            options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
            options.Events.AddEventType<RawCeilingEvent>();
            options.Schema.For<RawAppliedEvent>();
            options.DisableNpgsqlLogging = true;
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync(AutoCreate.CreateOrUpdate);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var table = $"{schema}.applied_events";
        await using (var create = dataSource.CreateCommand(
            $"CREATE TABLE {table} (id text PRIMARY KEY, applied_at timestamptz NOT NULL); CREATE INDEX ON {table} (applied_at)"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var payload = new string('x', Math.Max(1, size - 120)); // the rest of the size is ids and the instant
        var occurredAt = DateTimeOffset.UtcNow;
        var next = -pageSize;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async writer =>
        {
            var owned = Enumerable.Range(0, streams).Where(s => s % writers == writer).Select(s => $"raw-c{s:D5}").ToArray();
            var cursor = 0;
            while (true)
            {
                var first = Interlocked.Add(ref next, pageSize);
                if (first >= count)
                {
                    return;
                }

                var page = new RawCeilingEvent[Math.Min(pageSize, count - first)];
                for (var i = 0; i < page.Length; i++)
                {
                    page[i] = new RawCeilingEvent($"raw-{first + i:D9}", owned[cursor++ % owned.Length], occurredAt, payload);
                }

                var ids = page.Select(e => e.EventId).ToArray();
                await using var session = store.LightweightSession();
                switch (ledger)
                {
                    case AppliedIdLedger.Documents:
                        _ = await session.LoadManyAsync<RawAppliedEvent>(cancellationToken, ids);
                        break;
                    case AppliedIdLedger.Table:
                        _ = await session.QueryAsync<string>($"select id from {table} where id = any(?)", cancellationToken, [ids]);
                        break;
                }

                foreach (var stream in page.GroupBy(e => e.CustomerId, StringComparer.Ordinal))
                {
                    session.Events.Append(stream.Key, stream.ToArray<object>());
                }

                switch (ledger)
                {
                    case AppliedIdLedger.Documents:
                        session.Insert(ids.Select(id => new RawAppliedEvent { Id = id, AppliedAt = occurredAt }).ToArray());
                        break;
                    case AppliedIdLedger.Table:
                        session.QueueSqlCommand($"insert into {table} (id, applied_at) select unnest(?::text[]), ?", ids, occurredAt);
                        break;
                }

                await session.SaveChangesAsync(cancellationToken);
            }
        }));
        var rate = count / clock.Elapsed.TotalSeconds;
        await using (var drop = dataSource.CreateCommand($"DROP SCHEMA {schema} CASCADE"))
        {
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        return rate;
    }
}

/// <summary>How a ceiling run keeps its applied event ids (the services' ledger, before and after it became a table).</summary>
public enum AppliedIdLedger
{
    /// <summary>No ledger: the append alone.</summary>
    None,

    /// <summary>One Marten document per id (<c>mt_doc_…</c>, jsonb), looked up with <c>LoadMany</c> and inserted per document.</summary>
    Documents,

    /// <summary>A narrow table (<c>applied_events (id text primary key, applied_at)</c>): one select and one insert statement per page.</summary>
    Table,
}

/// <summary>An event of a ceiling run: the ids a customer event carries and a payload to make up its size.</summary>
public sealed record RawCeilingEvent(string EventId, string CustomerId, DateTimeOffset OccurredAt, string Payload);

/// <summary>A ceiling run's applied id as a Marten document, shaped like the services' ledger document.</summary>
public sealed class RawAppliedEvent
{
    public string Id { get; set; } = "";

    public DateTimeOffset AppliedAt { get; set; }
}

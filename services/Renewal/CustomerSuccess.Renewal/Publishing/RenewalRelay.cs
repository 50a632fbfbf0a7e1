using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Renewal.Domain;
using CustomerSuccess.EventSourcing.Messaging;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.Renewal.Publishing;

/// <summary>
/// Publishes <see cref="RenewalWindowOpened"/> and <see cref="CustomerRiskChanged"/> for
/// every committed window-opened and risk event, never by hand after an append: the event store is the outbox. Each
/// message's <c>EventId</c> is the Marten event's id, stable across redelivery and replay, so consumers de-duplicate.
/// </summary>
public sealed class RenewalRelay(IBus bus, IOptions<RabbitMqOptions> options) : BrokerRelay(bus, options)
{
    public const string RelayName = "renewal-relay";

    public const int PageSize = 500;

    /// <summary>Customers published in parallel; each customer's messages go out one after another, in stream order.</summary>
    private const int Parallelism = 32;

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var customers = page.Events.Where(e => e.Data is RenewalWindowOpenedRecorded or RiskAssessed).GroupBy(e => e.StreamKey, StringComparer.Ordinal).ToList();
        await Parallel.ForEachAsync(
            customers,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (customer, token) =>
            {
                foreach (var e in customer)
                {
                    // Published by their own types: MassTransit routes by the message type.
                    if (e.Data is RiskAssessed risk)
                    {
                        await PublishAsync(risk.ToRiskChanged(e.Id.ToString()), 1, token);
                    }
                    else if (e.Data is RenewalWindowOpenedRecorded opened)
                    {
                        await PublishAsync(WindowOpened(e, opened), 1, token);
                    }
                }
            });

        return NullChangeListener.Instance;
    }

    public static RenewalWindowOpened WindowOpened(IEvent e, RenewalWindowOpenedRecorded opened)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(opened);
        return new RenewalWindowOpened
        {
            EventId = e.Id.ToString(),
            CustomerId = e.StreamKey!,
            ContractId = opened.ContractId,
            EndsOn = opened.EndsOn,
            OpenedOn = opened.OpenedOn,
        };
    }
}

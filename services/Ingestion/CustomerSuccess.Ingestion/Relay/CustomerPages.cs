namespace CustomerSuccess.Ingestion.Relay;

/// <summary>
/// Splits a relay page into broker messages by customer: each customer's events of the page go into one message, in log
/// order, and whole customers are packed together up to a bound. A consumer then commits one bounded transaction per
/// group of customers and evaluates each customer once per page, however the page's events interleave; only a customer
/// with more events than the bound is split, into consecutive messages.
/// </summary>
public static class CustomerPages
{
    public static IEnumerable<IReadOnlyList<T>> Pack<T>(IReadOnlyList<T> events, Func<T, string> customerOf, int maxPerMessage)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(customerOf);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerMessage, 1);
        var message = new List<T>(Math.Min(events.Count, maxPerMessage));
        foreach (var customer in events.GroupBy(customerOf, StringComparer.Ordinal))
        {
            var customerEvents = customer.ToList();
            if (message.Count > 0 && message.Count + customerEvents.Count > maxPerMessage)
            {
                yield return message;
                message = new List<T>(maxPerMessage);
            }

            foreach (var e in customerEvents)
            {
                if (message.Count == maxPerMessage)
                {
                    yield return message;
                    message = new List<T>(maxPerMessage);
                }

                message.Add(e);
            }
        }

        if (message.Count > 0)
        {
            yield return message;
        }
    }
}

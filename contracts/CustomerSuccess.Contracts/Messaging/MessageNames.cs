using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.Contracts.Messaging;

/// <summary>
/// How MassTransit names <see cref="CustomerEventsIngested"/> on the wire: it routes by the message type's namespace and
/// name, so moving or renaming the record changes both of these (a versioning decision).
/// </summary>
public static class MessageNames
{
    /// <summary>The fan-out exchange MassTransit publishes the message to: <c>{namespace}:{name}</c>.</summary>
    public static readonly string CustomerEventsIngestedExchange = $"{typeof(CustomerEventsIngested).Namespace}:{nameof(CustomerEventsIngested)}";

    /// <summary>The message URN in the envelope's <c>messageType</c>: <c>urn:message:{namespace}:{name}</c>.</summary>
    public static readonly string CustomerEventsIngestedUrn = $"urn:message:{CustomerEventsIngestedExchange}";
}

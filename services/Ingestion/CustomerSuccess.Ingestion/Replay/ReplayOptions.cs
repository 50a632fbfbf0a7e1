using CustomerSuccess.Contracts.Messaging;
namespace CustomerSuccess.Ingestion.Replay;

/// <summary>
/// Which queue re-feeds which service (<c>Replay:Targets:{service}</c>). Defaults are the queues the
/// services declare for ingested events; add a target for a new service.
/// </summary>
public sealed class ReplayOptions
{
    public const string Section = "Replay";

    public Dictionary<string, string> Targets { get; set; } = new(QueueNames.IngestedEventsByService, StringComparer.OrdinalIgnoreCase);
}

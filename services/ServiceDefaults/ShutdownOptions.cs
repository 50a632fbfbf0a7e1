using System.ComponentModel.DataAnnotations;

namespace CustomerSuccess.ServiceDefaults;

/// <summary>
/// Graceful shutdown (<c>Hosting:*</c>). On SIGTERM the host stops HTTP first (Kestrel stops accepting and lets
/// in-flight requests finish), then the async daemon (its current relay page completes and its position is saved), then
/// the bus (no new messages; in-flight ones finish within <c>RabbitMq:StopTimeout</c>). This bounds all of it.
/// </summary>
public sealed class ShutdownOptions
{
    public const string Section = "Hosting";

    /// <summary>
    /// How long the host waits for all of that before it gives up and exits. With the Kubernetes manifests' 5 s
    /// <c>preStop</c> it must stay below <c>terminationGracePeriodSeconds</c> (45 s), or the kubelet kills the process first.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

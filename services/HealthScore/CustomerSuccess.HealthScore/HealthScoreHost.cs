namespace CustomerSuccess.HealthScore;

/// <summary>Marks this service's assembly, e.g. for <c>WebApplicationFactory&lt;T&gt;</c> in tests.</summary>
public sealed class HealthScoreHost;

namespace CustomerSuccess.ServiceDefaults;

/// <summary>Health-check tags: <c>ready</c> checks run on <c>/health/ready</c>.</summary>
public static class HealthTags
{
    public const string Ready = "ready";
}

namespace CustomerSuccess.Renewal.Domain;

/// <summary>The wire names of the difficulty levels and tags.</summary>
public static class DifficultyTags
{
    public const string Smooth = "smooth";
    public const string Difficult = "difficult";
    public const string VeryDifficult = "very_difficult";
    public const string FinanceCycleMismatch = "finance_cycle_mismatch";
}

/// <summary>How hard the customer is to renew, from its invoice and renewal history.</summary>
public enum RenewalDifficulty
{
    Smooth,
    Difficult,
    VeryDifficult,
}

public static class RenewalDifficultyNames
{
    public static string Wire(this RenewalDifficulty difficulty) => difficulty switch
    {
        RenewalDifficulty.VeryDifficult => DifficultyTags.VeryDifficult,
        RenewalDifficulty.Difficult => DifficultyTags.Difficult,
        _ => DifficultyTags.Smooth,
    };
}

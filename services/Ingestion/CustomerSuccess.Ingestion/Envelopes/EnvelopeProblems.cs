namespace CustomerSuccess.Ingestion.Envelopes;

/// <summary>
/// The problems found in one envelope, written into the request's shared error dictionary
/// (which may already hold other envelopes' problems), so the reader can tell whether this one failed.
/// </summary>
internal sealed class EnvelopeProblems(IDictionary<string, List<string>> errors)
{
    public int Count { get; private set; }

    public void Add(string key, string message)
    {
        if (!errors.TryGetValue(key, out var messages))
        {
            errors[key] = messages = [];
        }

        messages.Add(message);
        Count++;
    }
}

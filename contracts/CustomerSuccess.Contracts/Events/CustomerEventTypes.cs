using System.Reflection;
using System.Text.Json.Serialization;

namespace CustomerSuccess.Contracts.Events;

/// <summary>Every concrete <see cref="CustomerEvent"/> type with its public envelope type name, read from the JSON discriminator.</summary>
public static class CustomerEventTypes
{
    /// <summary>CLR type → envelope type (e.g. <c>typeof(UsageRecorded)</c> → <c>usage.recorded</c>).</summary>
    public static readonly IReadOnlyDictionary<Type, string> Names = typeof(CustomerEvent)
        .GetCustomAttributes<JsonDerivedTypeAttribute>(inherit: false)
        .ToDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);
}

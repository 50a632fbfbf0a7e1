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

    /// <summary>
    /// The event types <paramref name="handler"/> dispatches: those with a public instance method
    /// <paramref name="methodName"/> taking exactly that event (e.g. a Marten aggregate's <c>Apply(ContractSigned)</c>).
    /// Derived from the dispatching code, so the set a service keeps and the events it handles cannot drift apart.
    /// </summary>
    public static IReadOnlySet<Type> HandledBy(Type handler, string methodName)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return handler.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.Name == methodName)
            .Select(m => m.GetParameters())
            .Where(p => p.Length == 1 && Names.ContainsKey(p[0].ParameterType))
            .Select(p => p[0].ParameterType)
            .ToHashSet();
    }
}

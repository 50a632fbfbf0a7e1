using System.Reflection;
using CustomerSuccess.HealthScore.Domain;

namespace CustomerSuccess.HealthScore.Tests;

/// <summary>The scoring library stays pure: its own namespace, no HTTP DTOs, no infrastructure.</summary>
public class PurityTests
{
    private static readonly Assembly s_scoring = typeof(HealthEvaluation).Assembly;

    [Fact]
    public void Scoring_types_live_in_their_own_namespace()
    {
        Assert.All(s_scoring.GetExportedTypes(), t => Assert.Equal("CustomerSuccess.HealthScore.Domain", t.Namespace));
    }

    [Fact]
    public void Scoring_references_only_the_contracts_and_the_runtime()
    {
        var references = s_scoring.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(references, name => name.StartsWith("Marten", StringComparison.Ordinal)
            || name.StartsWith("MassTransit", StringComparison.Ordinal) || name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || name.StartsWith("CustomerSuccess.", StringComparison.Ordinal) && name != "CustomerSuccess.Contracts");
    }

    [Fact]
    public void No_public_scoring_signature_uses_an_http_dto()
    {
        const BindingFlags members = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var used = s_scoring.GetExportedTypes().SelectMany(t =>
            t.GetProperties(members).Select(p => p.PropertyType)
                .Concat(t.GetFields(members).Select(f => f.FieldType))
                .Concat(t.GetMethods(members).SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)))
                .Concat(t.GetConstructors().SelectMany(c => c.GetParameters().Select(p => p.ParameterType))));
        var http = used.SelectMany(Flatten).Where(t => t.Namespace == "CustomerSuccess.Contracts.Http").Distinct().ToList();
        Assert.Empty(http);
    }

    private static IEnumerable<Type> Flatten(Type type) =>
        type.IsGenericType ? type.GetGenericArguments().SelectMany(Flatten).Prepend(type)
        : type.HasElementType ? Flatten(type.GetElementType()!).Prepend(type)
        : [type];
}

using CustomerSuccess.Ingestion;
using CustomerSuccess.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.IntegrationTests.Operations;

/// <summary>A real service host with a key that breaks a documented rule does not start.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ApiKeyStartupTests(Platform platform)
{
    [Fact]
    public async Task Ingestion_with_a_ten_character_key_refuses_to_start_naming_the_setting()
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Postgres"] = platform.Servers.Postgres,
            ["EventStore:Schema"] = $"ingestion_refused_{Guid.NewGuid():N}"[..30],
            ["EventStore:DaemonMode"] = "Solo",
            ["RabbitMq:Uri"] = platform.RabbitMqUri.ToString(),
            ["ApiKeys:Keys:0:Name"] = "backend",
            ["ApiKeys:Keys:0:Key"] = "0123456789",
            ["ApiKeys:Keys:0:Scopes:0"] = "ingest",
        };
        await using var factory = new ServiceFactory<IngestionHost>(settings, services: null);

        var failure = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains("ApiKeys:Keys:0:Key must be at least 16 characters", failure.Message);
    }
}

using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace CustomerSuccess.IntegrationTests.Infrastructure;

/// <summary>Where the real PostgreSQL and RabbitMQ for the tests are.</summary>
public sealed record TestServerEndpoints(string Postgres, Uri RabbitMq, Uri RabbitMqManagement);

/// <summary>
/// The servers every fixture shares, found once per test run: those named by
/// <c>CUSTOMERSUCCESS_TEST_POSTGRES</c> / <c>CUSTOMERSUCCESS_TEST_RABBITMQ</c> (started by <c>deploy/test.sh</c>),
/// else containers when a Docker engine is reachable, else a loud failure saying how to start them.
/// Never an in-memory stand-in.
/// </summary>
public static class TestServers
{
    private static readonly Lazy<Task<TestServerEndpoints>> Servers = new(FindOrStartAsync);

    public static Task<TestServerEndpoints> GetAsync() => Servers.Value;

    private static async Task<TestServerEndpoints> FindOrStartAsync()
    {
        var postgres = Environment.GetEnvironmentVariable("CUSTOMERSUCCESS_TEST_POSTGRES");
        var rabbit = Environment.GetEnvironmentVariable("CUSTOMERSUCCESS_TEST_RABBITMQ");
        var management = Environment.GetEnvironmentVariable("CUSTOMERSUCCESS_TEST_RABBITMQ_MANAGEMENT");
        if (!string.IsNullOrWhiteSpace(postgres) && !string.IsNullOrWhiteSpace(rabbit))
        {
            var rabbitUri = new Uri(rabbit);
            var managementUri = string.IsNullOrWhiteSpace(management)
                ? new UriBuilder("http", rabbitUri.Host, 15672).Uri
                : new Uri(management);
            return new TestServerEndpoints(postgres, rabbitUri, managementUri);
        }

        if (!DockerEngineReachable())
        {
            throw new InvalidOperationException(
                "Integration tests need a real PostgreSQL and RabbitMQ. Run them with ./deploy/test.sh (it starts both on loopback), "
                + "or set CUSTOMERSUCCESS_TEST_POSTGRES (Npgsql connection string), CUSTOMERSUCCESS_TEST_RABBITMQ (amqp://user:pass@host:port/) "
                + "and CUSTOMERSUCCESS_TEST_RABBITMQ_MANAGEMENT (http://host:15672/), or make a Docker engine reachable for Testcontainers.");
        }

        var postgresContainer = new PostgreSqlBuilder("postgres:15-alpine").Build();
        var rabbitContainer = new RabbitMqBuilder("rabbitmq:3.13-management").WithPortBinding(15672, true).Build();
        await Task.WhenAll(postgresContainer.StartAsync(), rabbitContainer.StartAsync());
        return new TestServerEndpoints(
            postgresContainer.GetConnectionString(),
            new Uri(rabbitContainer.GetConnectionString()),
            new UriBuilder("http", rabbitContainer.Hostname, rabbitContainer.GetMappedPublicPort(15672)).Uri);
    }

    private static bool DockerEngineReachable() =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock");
}

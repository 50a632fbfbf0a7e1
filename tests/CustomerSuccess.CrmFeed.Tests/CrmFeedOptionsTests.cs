using CustomerSuccess.CrmFeed.Broker;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.CrmFeed.Tests;

public sealed class CrmFeedOptionsTests
{
    [Fact]
    public void Defaults_are_the_documented_schedule_and_limits()
    {
        var options = Resolve<CrmFeedOptions>([]);

        Assert.Equal(Deliveries.DeliverySchedule.DefaultDelays, options.Schedule().Delays);
        Assert.Equal(TimeSpan.FromDays(5), options.DisableAfter);
        Assert.Equal(TimeSpan.FromHours(24), options.SecretRotationOverlap);
        Assert.Equal(1024, options.ResponseExcerptBytes);
        Assert.True(options.BlockPrivateRanges);
        Assert.False(options.AllowLoopback);
    }

    [Fact]
    public void The_broker_defaults_to_the_services_broker()
    {
        var options = Resolve<CrmFeedBrokerOptions>(new() { ["RabbitMq:Uri"] = "amqp://u:p@broker:5672/cs" });

        Assert.Equal("amqp://u:p@broker:5672/cs", options.Uri);
        Assert.Equal("customersuccess.crm-feed", options.FeedQueue);
    }

    [Theory]
    [InlineData("CrmFeed:ClaimLease", "00:00:05")]
    [InlineData("CrmFeed:RetryJitter", "0.9")]
    [InlineData("CrmFeed:RetryDelays:0", "-00:00:01")]
    [InlineData("CrmFeed:Schema", "Bad-Schema")]
    public void A_bad_setting_refuses_to_start(string key, string value)
    {
        Assert.Throws<OptionsValidationException>(() => Resolve<CrmFeedOptions>(new() { [key] = value }));
    }

    [Fact]
    public void A_broker_uri_that_is_not_amqp_refuses_to_start()
    {
        Assert.Throws<OptionsValidationException>(() => Resolve<CrmFeedBrokerOptions>(new() { ["CrmFeed:Broker:Uri"] = "http://broker/" }));
    }

    private static T Resolve<T>(Dictionary<string, string?> settings)
        where T : class
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = "Host=127.0.0.1" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddCrmFeed();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<T>>().Value;
    }
}

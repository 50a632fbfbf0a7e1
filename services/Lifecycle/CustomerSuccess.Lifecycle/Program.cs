using CustomerSuccess.Lifecycle;
using CustomerSuccess.Lifecycle.Stages;
using CustomerSuccess.Lifecycle.Tiers;
using CustomerSuccess.ServiceDefaults;
using CustomerSuccess.ServiceDefaults.EventStore;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(LifecycleServices.ServiceName);
builder.AddLifecycle();

var app = builder.Build();
app.UseServiceDefaults();
app.MapLifecycleApi();
app.MapTierPinApi();
app.MapLifecycleMetricsApi();
return app.RunOrRebuildProjections(args);

using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.Lifecycle;
using CustomerSuccess.Lifecycle.Stages;
using CustomerSuccess.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(LifecycleServices.ServiceName);
builder.AddLifecycle();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDeadLetterApi();
app.MapLifecycleApi();
return app.RunOrExecuteCommand(args);

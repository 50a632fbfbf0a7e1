using CustomerSuccess.Lifecycle;
using CustomerSuccess.Lifecycle.Stages;
using CustomerSuccess.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(LifecycleServices.ServiceName);
builder.AddLifecycle();

var app = builder.Build();
app.UseServiceDefaults();
app.MapLifecycleApi();
app.Run();

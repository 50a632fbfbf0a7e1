using CustomerSuccess.Renewal;
using CustomerSuccess.Renewal.Renewals;
using CustomerSuccess.ServiceDefaults;
using CustomerSuccess.ServiceDefaults.EventStore;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(RenewalServices.ServiceName);
builder.AddRenewal();

var app = builder.Build();
app.UseServiceDefaults();
app.MapRenewalApi();
return app.RunOrRebuildProjections(args);

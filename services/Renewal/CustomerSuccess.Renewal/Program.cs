using CustomerSuccess.CrmFeed;
using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.Renewal;
using CustomerSuccess.Renewal.Renewals;
using CustomerSuccess.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(RenewalServices.ServiceName);
builder.AddRenewal();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDeadLetterApi();
app.MapRenewalApi();
app.MapCrmFeedApi();
return app.RunOrExecuteCommand(args);

using CustomerSuccess.Ingestion;
using CustomerSuccess.Ingestion.Replay;
using CustomerSuccess.ServiceDefaults;
using CustomerSuccess.ServiceDefaults.EventStore;
using CustomerSuccess.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(IngestionServices.ServiceName);
builder.AddMessaging(IngestionServices.ServiceName);
builder.AddIngestion();

var app = builder.Build();
app.UseServiceDefaults();
app.MapIngestionApi();
app.MapReplayApi();
return app.RunOrRebuildProjections(args);

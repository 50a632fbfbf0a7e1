using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.Ingestion;
using CustomerSuccess.Ingestion.Replay;
using CustomerSuccess.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(IngestionServices.ServiceName);
builder.AddMessaging(IngestionServices.ServiceName);
builder.AddIngestion();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDeadLetterApi();
app.MapIngestionApi();
app.MapReplayApi();
return app.RunOrExecuteCommand(args);

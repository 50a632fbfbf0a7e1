using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.HealthScore;
using CustomerSuccess.HealthScore.Scoring;
using CustomerSuccess.HealthScore.ScoringModels;
using CustomerSuccess.HealthScore.Simulation;
using CustomerSuccess.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(HealthScoreServices.ServiceName);
builder.AddHealthScore();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDeadLetterApi();
app.MapHealthApi();
app.MapScoringModelApi();
app.MapSimulationApi();
return app.RunOrExecuteCommand(args);

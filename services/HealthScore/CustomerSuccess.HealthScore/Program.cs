using CustomerSuccess.HealthScore;
using CustomerSuccess.HealthScore.Scoring;
using CustomerSuccess.HealthScore.ScoringModels;
using CustomerSuccess.HealthScore.Simulation;
using CustomerSuccess.ServiceDefaults;
using CustomerSuccess.ServiceDefaults.EventStore;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(HealthScoreServices.ServiceName);
builder.AddHealthScore();

var app = builder.Build();
app.UseServiceDefaults();
app.MapHealthApi();
app.MapScoringModelApi();
app.MapSimulationApi();
return app.RunOrRebuildProjections(args);

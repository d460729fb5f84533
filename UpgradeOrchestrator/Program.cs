var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPostgresDatabase(typeof(Program).Assembly);

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();

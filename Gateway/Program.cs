using Evergreen.Gateway.Extensions;

InlineIo.EnableUnlessDisabled();
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGateway();

var app = builder.Build();

app.UseDestinationHeader();
app.MapDefaultEndpoints();
app.MapGatewayAdminApi();
app.MapGatewayProxy();

app.Run();

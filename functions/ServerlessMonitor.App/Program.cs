using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using ServerlessMonitor.Core;

// The Azure entry point. The Functions host starts this worker; the functions themselves live in
// ServerlessMonitor.Functions, and the service graph in Core, shared with the local runtime.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddServerlessMonitor(builder.Configuration);
builder.Build().Run();

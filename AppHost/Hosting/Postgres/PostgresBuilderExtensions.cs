using Evergreen.AppHost.Hosting.Resources;

namespace Evergreen.AppHost.Hosting.Postgres;

/// <summary><c>AddPostgres</c> and <c>AddDatabase</c>, as in Aspire, backed by the machine's PostgreSQL binaries.</summary>
public static class PostgresBuilderExtensions
{
    /// <summary>Adds a private PostgreSQL server on <paramref name="port"/> (overridable with <c>Ports:&lt;name&gt;</c>).</summary>
    public static IResourceBuilder<PostgresServerResource> AddPostgres(this IDistributedApplicationBuilder builder, string name, int port = 5433) =>
        builder.AddResource(new PostgresServerResource(name, port));

    /// <summary>Adds a database that is created on the server once it is healthy.</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<PostgresServerResource> builder, string name, string? databaseName = null)
    {
        var database = new PostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        builder.Resource.AddDatabase(database);
        return new ResourceBuilder<PostgresDatabaseResource>(builder.ApplicationBuilder, database);
    }
}

namespace Evergreen.AppHost.Hosting.Resources;

/// <summary>A resource others reach through a connection string (<c>ConnectionStrings__&lt;name&gt;</c>).</summary>
public interface IResourceWithConnectionString
{
    /// <summary>The name under <c>ConnectionStrings</c> a reference uses unless it names another.</summary>
    string ConnectionName { get; }

    /// <summary>The connection string; valid after <c>Build()</c>.</summary>
    string GetConnectionString();
}

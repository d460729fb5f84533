namespace Evergreen.AppHost.Hosting.Resources;

/// <summary>A resource others reach over HTTP, through the Aspire variables <c>services__&lt;name&gt;__http__0</c>.</summary>
public interface IResourceWithServiceEndpoints
{
    /// <summary>Each addressable instance's service name and base URL; valid after <c>Build()</c>.</summary>
    IEnumerable<(string ServiceName, Uri Url)> GetServiceEndpoints();
}

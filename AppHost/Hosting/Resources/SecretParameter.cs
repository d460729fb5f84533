using System.Security.Cryptography;

namespace Evergreen.AppHost.Hosting.Resources;

/// <summary>
/// A secret shared by some services, like Aspire's <c>AddParameter(name, secret: true)</c>: the value of
/// <c>Parameters:&lt;name&gt;</c> when configured, otherwise 32 random bytes generated once per launcher run.
/// Immutable and thread-safe.
/// </summary>
public sealed class SecretParameter
{
    private readonly Lazy<string> _value;

    internal SecretParameter(string name, string? configured)
    {
        Name = name;
        _value = new Lazy<string>(() => string.IsNullOrWhiteSpace(configured)
            ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))
            : configured);
    }

    /// <summary>The parameter's name (the key under <c>Parameters</c>).</summary>
    public string Name { get; }

    /// <summary>The secret's value.</summary>
    public string Value => _value.Value;
}

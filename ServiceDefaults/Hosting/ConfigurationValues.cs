using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Evergreen.ServiceDefaults.Hosting;

/// <summary>Reads typed values from configuration with errors that name the key.</summary>
internal static class ConfigurationValues
{
    /// <summary>
    /// A duration written either as seconds ("60", "0.5") or as a <see cref="TimeSpan"/> ("00:01:00").
    /// Plain numbers are seconds because <see cref="TimeSpan.Parse(string)"/> would read "60" as sixty days.
    /// </summary>
    public static TimeSpan GetDuration(IConfiguration configuration, string key, TimeSpan defaultValue)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value >= TimeSpan.Zero)
        {
            return value;
        }

        throw new InvalidOperationException(
            $"Configuration value '{key}' = '{text}' is not a duration: write seconds (\"60\") or hh:mm:ss (\"00:01:00\").");
    }

    public static int GetInt32(IConfiguration configuration, string key, int defaultValue, int min, int max)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        throw new InvalidOperationException(
            $"Configuration value '{key}' = '{text}' is not a whole number between {min} and {max}.");
    }
}

using System.Globalization;

namespace Evergreen.Gateway.Configuration;

/// <summary>Typed configuration values with errors that name the key.</summary>
internal static class ConfigurationReader
{
    /// <summary>A duration written as seconds ("1", "0.5") or as hh:mm:ss.</summary>
    public static TimeSpan GetDuration(IConfiguration configuration, string key, TimeSpan defaultValue)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero)
        {
            return value;
        }

        throw new InvalidOperationException(
            $"Configuration value '{key}' = '{text}' is not a positive duration: write seconds (\"5\") or hh:mm:ss (\"00:00:05\").");
    }

    public static long GetInt64(IConfiguration configuration, string key, long defaultValue, long min, long max)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        throw new InvalidOperationException($"Configuration value '{key}' = '{text}' is not a whole number between {min} and {max}.");
    }

    public static int GetInt32(IConfiguration configuration, string key, int defaultValue, int min, int max) =>
        (int)GetInt64(configuration, key, defaultValue, min, max);

    /// <summary>A list written either as children (<c>Key:0</c>, <c>Key:1</c>) or as one comma-separated value.</summary>
    public static IReadOnlyList<string> GetList(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(key);
        var values = section.GetChildren().Select(c => c.Value).ToList();
        if (values.Count == 0 && section.Value is { } single)
        {
            values = [.. single.Split(',')];
        }

        return [.. values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim())];
    }
}

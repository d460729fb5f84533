using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Evergreen.ServiceDefaults.Hosting;

/// <summary>
/// Reads typed values from configuration. A missing or blank value gives the default; a value that does not parse or
/// is out of range throws <see cref="InvalidOperationException"/> naming the key, the value and how to write it, so a
/// service refuses to start on a typo instead of running with a surprise.
/// </summary>
public static class ConfigurationValues
{
    /// <summary>
    /// A duration written either as seconds ("60", "0.5") or as a <see cref="TimeSpan"/> ("00:01:00").
    /// Plain numbers are seconds because <see cref="TimeSpan.Parse(string)"/> would read "60" as sixty days.
    /// </summary>
    /// <param name="configuration">Where to read.</param>
    /// <param name="key">The key, e.g. <c>Evergreen:ShutdownGracePeriod</c>.</param>
    /// <param name="defaultValue">Returned when the key is missing or blank.</param>
    /// <param name="mustBePositive">True rejects zero (an interval or a time-out); false accepts it (an optional delay).</param>
    public static TimeSpan GetDuration(IConfiguration configuration, string key, TimeSpan defaultValue, bool mustBePositive = false)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        var parsed = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : (TimeSpan?)null;
        if (parsed is { } duration && (mustBePositive ? duration > TimeSpan.Zero : duration >= TimeSpan.Zero))
        {
            return duration;
        }

        throw new InvalidOperationException(
            $"Configuration value '{key}' = '{text}' is not a {(mustBePositive ? "positive " : "")}duration: write seconds (\"60\") or hh:mm:ss (\"00:01:00\").");
    }

    /// <summary>A whole number between <paramref name="min"/> and <paramref name="max"/>, inclusive.</summary>
    /// <param name="configuration">Where to read.</param>
    /// <param name="key">The key.</param>
    /// <param name="defaultValue">Returned when the key is missing or blank.</param>
    /// <param name="min">The smallest accepted value.</param>
    /// <param name="max">The largest accepted value.</param>
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

        throw new InvalidOperationException(
            $"Configuration value '{key}' = '{text}' is not a whole number between {min} and {max}.");
    }

    /// <summary>A whole number between <paramref name="min"/> and <paramref name="max"/>, inclusive.</summary>
    /// <param name="configuration">Where to read.</param>
    /// <param name="key">The key.</param>
    /// <param name="defaultValue">Returned when the key is missing or blank.</param>
    /// <param name="min">The smallest accepted value.</param>
    /// <param name="max">The largest accepted value.</param>
    public static int GetInt32(IConfiguration configuration, string key, int defaultValue, int min, int max) =>
        (int)GetInt64(configuration, key, defaultValue, min, max);

    /// <summary>A list written either as children (<c>Key:0</c>, <c>Key:1</c>) or as one comma-separated value; blanks dropped, entries trimmed.</summary>
    /// <param name="configuration">Where to read.</param>
    /// <param name="key">The key of the list.</param>
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

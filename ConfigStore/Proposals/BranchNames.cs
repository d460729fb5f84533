using System.Text;

namespace Evergreen.ConfigStore.Proposals;

/// <summary>
/// Proposal branch names: <c>improve/&lt;plugin&gt;-&lt;agent&gt;-&lt;yyyyMMddTHHmmssZ&gt;</c>. The qualified name's
/// <c>:</c> is not valid in a git ref, so plugin and agent are joined with <c>-</c>, and anything git refuses in a ref
/// (spaces, <c>~^:?*[\</c>, <c>..</c>, a leading <c>.</c>, a trailing <c>.lock</c>) becomes <c>-</c>.
/// </summary>
internal static class BranchNames
{
    public static string ForProposal(string plugin, string agent, DateTimeOffset now) =>
        $"improve/{Sanitize(plugin)}-{Sanitize(agent)}-{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}";

    public static string Sanitize(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
        }

        var clean = text.ToString().Replace("..", "-", StringComparison.Ordinal).Trim('.', '-');
        if (clean.EndsWith(".lock", StringComparison.OrdinalIgnoreCase))
        {
            clean = clean[..^".lock".Length] + "-lock";
        }

        return clean.Length == 0 ? "agent" : clean;
    }
}

using System.Text;
using System.Text.RegularExpressions;

namespace Evergreen.AgentRuntime.Agents.Tools;

/// <summary>
/// A glob as Claude Code's tools read it: <c>**</c> spans folders, <c>*</c> and <c>?</c> stay within one,
/// <c>{a,b}</c> is either, <c>[abc]</c> a character class. A pattern without '/' matches file names at any depth.
/// </summary>
internal static class GlobPattern
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    public static Regex ToRegex(string pattern)
    {
        var glob = pattern.Trim().Replace('\\', '/').TrimStart('/');
        if (glob.StartsWith("./", StringComparison.Ordinal))
        {
            glob = glob[2..];
        }

        var anyDepth = !glob.Contains('/', StringComparison.Ordinal);
        var regex = new StringBuilder(anyDepth ? "^(?:.*/)?" : "^");
        var braces = 0;
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*' when i + 1 < glob.Length && glob[i + 1] == '*':
                    var slashAfter = i + 2 < glob.Length && glob[i + 2] == '/';
                    regex.Append(slashAfter ? "(?:.*/)?" : ".*");
                    i += slashAfter ? 2 : 1;
                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '{':
                    braces++;
                    regex.Append("(?:");
                    break;
                case '}' when braces > 0:
                    braces--;
                    regex.Append(')');
                    break;
                case ',' when braces > 0:
                    regex.Append('|');
                    break;
                case '[':
                    var close = glob.IndexOf(']', i + 1);
                    if (close > i + 1)
                    {
                        var set = glob[(i + 1)..close].Replace("\\", "\\\\", StringComparison.Ordinal);
                        regex.Append('[').Append(set.StartsWith('!') ? "^" + set[1..] : set).Append(']');
                        i = close;
                    }
                    else
                    {
                        regex.Append("\\[");
                    }

                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        regex.Append(new string(')', braces)).Append('$');
        return new Regex(regex.ToString(), RegexOptions.CultureInvariant, MatchTimeout);
    }
}

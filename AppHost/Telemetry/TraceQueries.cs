namespace Evergreen.AppHost.Telemetry;

/// <summary>Groups spans into traces for the control API. Pure functions over one snapshot of the store.</summary>
internal static class TraceQueries
{
    /// <summary>The most recent traces first, optionally only those <paramref name="service"/> took part in.</summary>
    public static List<TraceSummary> Recent(IReadOnlyList<SpanRecord> spans, string? service, int limit) =>
        [.. GroupByTrace(spans)
            .Where(trace => service is null || trace.Any(span => string.Equals(span.ServiceName, service, StringComparison.OrdinalIgnoreCase)))
            .Select(Summarize)
            .OrderByDescending(summary => summary.StartTime)
            .Take(limit)];

    /// <summary>The trace's spans ordered by start (a parent before a child that starts at the same instant), or null when unknown.</summary>
    public static TraceDetail? Find(IReadOnlyList<SpanRecord> spans, string traceId)
    {
        var trace = spans.Where(span => span.TraceId == traceId).ToList();
        if (trace.Count == 0)
        {
            return null;
        }

        var byId = trace.ToDictionary(span => span.SpanId, StringComparer.Ordinal);
        var summary = Summarize(trace);
        return new TraceDetail(traceId, summary.StartTime, summary.DurationMs, [.. trace.OrderBy(span => span.StartTime).ThenBy(span => Depth(span, byId))]);
    }

    private static IEnumerable<List<SpanRecord>> GroupByTrace(IReadOnlyList<SpanRecord> spans)
    {
        var traces = new Dictionary<string, List<SpanRecord>>(StringComparer.Ordinal);
        foreach (var span in spans)
        {
            if (!traces.TryGetValue(span.TraceId, out var trace))
            {
                traces[span.TraceId] = trace = [];
            }

            trace.Add(span);
        }

        return traces.Values;
    }

    private static TraceSummary Summarize(List<SpanRecord> trace)
    {
        var ids = trace.Select(span => span.SpanId).ToHashSet(StringComparer.Ordinal);

        // The root is the earliest span whose parent is not here: a trace started by a caller we do not see
        // (a browser, a test) still has one.
        var root = trace.Where(span => span.ParentSpanId is null || !ids.Contains(span.ParentSpanId)).MinBy(span => span.StartTime)
            ?? trace.MinBy(span => span.StartTime)!;
        var start = trace.Min(span => span.StartTime);
        var end = trace.Max(span => span.EndTime);
        return new TraceSummary(
            root.TraceId,
            root.Name,
            root.ServiceName,
            [.. trace.OrderBy(span => span.StartTime).Select(span => span.ServiceName).Distinct(StringComparer.Ordinal)],
            start,
            trace.Count == 1 ? root.DurationMs : Math.Max(root.DurationMs, (end - start).TotalMilliseconds),
            trace.Count,
            trace.Any(span => span.IsError));
    }

    private static int Depth(SpanRecord span, Dictionary<string, SpanRecord> byId)
    {
        var depth = 0;
        while (span.ParentSpanId is { } parentId && byId.TryGetValue(parentId, out var parent) && depth < byId.Count)
        {
            span = parent;
            depth++;
        }

        return depth;
    }
}

/// <summary>One trace in the list: its root span's name and service, every service involved, timing, size and whether any span failed.</summary>
internal sealed record TraceSummary(
    string TraceId, string RootName, string RootService, IReadOnlyList<string> Services, DateTimeOffset StartTime, double DurationMs, int SpanCount, bool HasError);

/// <summary>One trace's spans, ordered by start, with parent ids for a waterfall.</summary>
internal sealed record TraceDetail(string TraceId, DateTimeOffset StartTime, double DurationMs, IReadOnlyList<SpanRecord> Spans);

namespace Evergreen.Gateway.Routing;

/// <summary>
/// Set by <see cref="CandidateSelectionStep"/> when a request must go to the replica that owns its stream session or run,
/// so the forwarding step honours the same owner without inspecting the request again (a feedback body is read once).
/// </summary>
internal sealed class PinnedOwnerFeature(int destinationIndex)
{
    public int DestinationIndex { get; } = destinationIndex;

    /// <summary>The pinned destination's catalog index, or -1 when the request is routed by weight.</summary>
    public static int Of(HttpContext context) => context.Features.Get<PinnedOwnerFeature>()?.DestinationIndex ?? -1;
}

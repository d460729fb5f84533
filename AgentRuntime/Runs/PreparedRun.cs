using Evergreen.AgentRuntime.Agents;
using Evergreen.AgentRuntime.Registry;

namespace Evergreen.AgentRuntime.Runs;

/// <summary>A run bound to the revision its request captured, ready to start.</summary>
internal sealed record PreparedRun(AgentRun Run, LoadedRevision Revision);

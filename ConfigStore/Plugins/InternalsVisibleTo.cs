using System.Runtime.CompilerServices;

// The tests exercise the YAML fallback reader and the version-range matcher directly, not only through the loader.
[assembly: InternalsVisibleTo("ConfigStore.Tests")]

// The runtime's end-to-end tests start the real ConfigStore in-process.
[assembly: InternalsVisibleTo("AgentRuntime.Tests")]

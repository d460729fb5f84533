using Evergreen.AppHost.Hosting.Resources;

namespace Evergreen.AppHost.Hosting.Orchestration;

/// <summary>Orders resources so each comes after what it waits for, keeping the model's order otherwise.</summary>
internal static class DependencyOrder
{
    public static IReadOnlyList<Resource> Sort(IReadOnlyList<Resource> resources)
    {
        var sorted = new List<Resource>(resources.Count);
        var visiting = new HashSet<Resource>();
        var done = new HashSet<Resource>();

        void Visit(Resource resource, Stack<string> path)
        {
            if (done.Contains(resource))
            {
                return;
            }

            path.Push(resource.Name);
            if (!visiting.Add(resource))
            {
                throw new HostingException($"The app model has a cycle: {string.Join(" → ", path.Reverse())}. Remove one WaitFor.");
            }

            foreach (var dependency in resource.WaitsFor)
            {
                if (!resources.Contains(dependency))
                {
                    throw new HostingException($"'{resource.Name}' waits for '{dependency.Name}', which is not in the app model. Add it with builder.Add….");
                }

                Visit(dependency, path);
            }

            path.Pop();
            visiting.Remove(resource);
            done.Add(resource);
            sorted.Add(resource);
        }

        foreach (var resource in resources)
        {
            Visit(resource, new Stack<string>());
        }

        return sorted;
    }
}

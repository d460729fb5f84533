using System.Globalization;
using Evergreen.Contracts.Gateway;
using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Routing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Evergreen.Gateway.Admin;

/// <summary>
/// The destinations admin API (bearer admin token): list, set weights (one or several atomically), drain.
/// </summary>
internal static class DestinationsApi
{
    private const double DefaultDrainTimeoutSeconds = 30;
    private const double MaxDrainTimeoutSeconds = 3600;

    public static RouteGroupBuilder MapDestinationsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/admin/destinations").RequireAdmin();
        group.MapGet("", GetDestinations);
        group.MapPut("", SetWeights);
        group.MapPut("/{id}", SetWeight);
        group.MapPost("/{id}/drain", DrainAsync);
        return group;
    }

    private static Ok<IReadOnlyList<GatewayDestination>> GetDestinations(DestinationStatusReader reader) =>
        TypedResults.Ok(reader.ReadAll());

    private static Results<Ok<GatewayDestination>, NotFound<ProblemDetails>, ValidationProblem> SetWeight(
        string id, SetWeightRequest request, DestinationCatalog catalog, DestinationWeights weights, DestinationStatusReader reader,
        ILoggerFactory loggerFactory)
    {
        var index = catalog.IndexOf(id);
        if (index < 0)
        {
            return UnknownDestination(id);
        }

        if (!IsValidWeight(request.Weight))
        {
            return WeightProblem(nameof(request.Weight), request.Weight);
        }

        weights.Update([new KeyValuePair<int, int>(index, request.Weight)]);
        LogChange(loggerFactory, [new KeyValuePair<string, int>(id, request.Weight)]);
        return TypedResults.Ok(reader.Read(index));
    }

    private static Results<Ok<IReadOnlyList<GatewayDestination>>, ValidationProblem> SetWeights(
        SetWeightsRequest request, DestinationCatalog catalog, DestinationWeights weights, DestinationStatusReader reader,
        ILoggerFactory loggerFactory)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var changes = new List<KeyValuePair<int, int>>();
        foreach (var (id, weight) in request.Weights ?? new Dictionary<string, int>())
        {
            var index = catalog.IndexOf(id);
            if (index < 0)
            {
                errors[id] = [$"No destination has the id '{id}'. Known: {string.Join(", ", catalog.Destinations.Select(d => d.Id))}."];
            }
            else if (!IsValidWeight(weight))
            {
                errors[id] = [WeightMessage(weight)];
            }
            else
            {
                changes.Add(new KeyValuePair<int, int>(index, weight));
            }
        }

        if (changes.Count == 0 && errors.Count == 0)
        {
            errors[nameof(request.Weights)] = ["Give at least one destination id and weight."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "No weight was changed");
        }

        weights.Update(changes);
        LogChange(loggerFactory, request.Weights!);
        return TypedResults.Ok(reader.ReadAll());
    }

    private static async Task<Results<Ok<DrainResult>, NotFound<ProblemDetails>, ValidationProblem>> DrainAsync(
        string id, DrainRequest? request, DestinationCatalog catalog, DrainCoordinator drains, CancellationToken cancellationToken)
    {
        var index = catalog.IndexOf(id);
        if (index < 0)
        {
            return UnknownDestination(id);
        }

        var seconds = request?.TimeoutSeconds ?? DefaultDrainTimeoutSeconds;
        if (!double.IsFinite(seconds) || seconds is < 0 or > MaxDrainTimeoutSeconds)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [nameof(DrainRequest.TimeoutSeconds)] = [$"timeoutSeconds must be between 0 and {MaxDrainTimeoutSeconds}."],
            });
        }

        return TypedResults.Ok(await drains.DrainAsync(index, id, TimeSpan.FromSeconds(seconds), cancellationToken));
    }

    private static bool IsValidWeight(int weight) => weight is >= 0 and <= DestinationCatalog.MaxWeight;

    private static string WeightMessage(int weight) =>
        $"Weight {weight.ToString(CultureInfo.InvariantCulture)} is out of range: use 0–{DestinationCatalog.MaxWeight} (0 drains).";

    private static ValidationProblem WeightProblem(string key, int weight) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [key] = [WeightMessage(weight)] });

    private static NotFound<ProblemDetails> UnknownDestination(string id) => TypedResults.NotFound(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Unknown destination",
        Detail = $"No destination has the id '{id}'. GET /admin/destinations lists them.",
    });

    private static void LogChange(ILoggerFactory loggerFactory, IEnumerable<KeyValuePair<string, int>> changes) =>
        Log.WeightsChanged(
            loggerFactory.CreateLogger(typeof(DestinationsApi)),
            string.Join(", ", changes.Select(c => $"{c.Key}={c.Value.ToString(CultureInfo.InvariantCulture)}")));
}

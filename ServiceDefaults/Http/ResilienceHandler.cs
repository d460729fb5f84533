using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Evergreen.ServiceDefaults.Http;

/// <summary>
/// Outermost handler of every factory-made client: a total time-out around retries that are only attempted where
/// a repeat cannot do harm (idempotent methods, failures that happened before the server did the work or that the
/// server reported as temporary).
/// </summary>
internal sealed class ResilienceHandler : DelegatingHandler
{
    private readonly string _clientName;
    private readonly TimeSpan _totalTimeout;
    private readonly ResiliencePipeline<HttpResponseMessage> _idempotent;
    private readonly ResiliencePipeline<HttpResponseMessage> _nonIdempotent;

    public ResilienceHandler(string clientName, HttpClientResilienceOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _clientName = clientName;
        _totalTimeout = options.TotalTimeout;
        var hasTimeout = options.TotalTimeout > TimeSpan.Zero && options.TotalTimeout != Timeout.InfiniteTimeSpan;

        var idempotent = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        var nonIdempotent = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        if (hasTimeout)
        {
            idempotent.AddTimeout(options.TotalTimeout);
            nonIdempotent.AddTimeout(options.TotalTimeout);
        }

        if (options.MaxRetries > 0)
        {
            idempotent.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .HandleResult(static r => r.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout),
                OnRetry = args =>
                {
                    Log.Retrying(
                        logger,
                        clientName,
                        args.AttemptNumber + 1,
                        options.MaxRetries,
                        args.RetryDelay,
                        args.Outcome.Exception?.Message ?? $"HTTP {(int?)args.Outcome.Result?.StatusCode}");
                    return ValueTask.CompletedTask;
                },
            });
        }

        _idempotent = idempotent.Build();
        _nonIdempotent = nonIdempotent.Build();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var pipeline = IsIdempotent(request.Method) ? _idempotent : _nonIdempotent;
        try
        {
            return await pipeline.ExecuteAsync(
                static (state, token) => new ValueTask<HttpResponseMessage>(state.Handler.SendInnerAsync(state.Request, token)),
                (Handler: this, Request: request),
                cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new TimeoutException(
                $"{request.Method} {request.RequestUri?.GetLeftPart(UriPartial.Path)} (HTTP client '{_clientName}') did not complete "
                + $"within {_totalTimeout.TotalSeconds:0.###} s. Raise {HttpClientResilienceOptions.SectionName}:TotalTimeout "
                + "or the client's ConfigureResilience if the service is expected to take longer.",
                ex);
        }
    }

    private static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options;

    private Task<HttpResponseMessage> SendInnerAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}

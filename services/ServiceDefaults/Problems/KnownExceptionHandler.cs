using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CustomerSuccess.ServiceDefaults.Problems;

/// <summary>
/// Turns exceptions with a known meaning into problem+json: a bad request body keeps its status
/// (e.g. 413), an unreachable database becomes 503 with <c>Retry-After</c> so clients retry later.
/// </summary>
public sealed partial class KnownExceptionHandler(IProblemDetailsService problems, ILogger<KnownExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        int status;
        string title;
        string detail;
        if (exception is BadHttpRequestException bad)
        {
            status = bad.StatusCode;
            title = status == StatusCodes.Status413PayloadTooLarge ? "Payload too large" : "Bad request";
            detail = bad.Message;
        }
        else if (exception is TransientConflictException)
        {
            status = StatusCodes.Status503ServiceUnavailable;
            title = "Service unavailable";
            detail = "Concurrent writes to the same records kept colliding; nothing from this request was applied. Retry with the same ids.";
            httpContext.Response.Headers.RetryAfter = "1";
        }
        else if (IsStoreUnavailable(exception))
        {
            LogStoreUnavailable(logger, exception);
            status = StatusCodes.Status503ServiceUnavailable;
            title = "Service unavailable";
            detail = "The event store cannot be reached; nothing from this request was applied. Retry with the same ids.";
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>Whether the exception means the database could not be reached (as opposed to a bad statement).</summary>
    public static bool IsStoreUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } or SocketException or TimeoutException)
            {
                return true;
            }

            if (e is NpgsqlException npgsql && npgsql.InnerException is null && npgsql is not PostgresException)
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event store unreachable; answering 503")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception);
}

/// <summary>Concurrent writers kept colliding; nothing was applied and the client should retry (answered 503 + Retry-After).</summary>
public sealed class TransientConflictException(string message, Exception inner) : Exception(message, inner);

import HTTPTypes
import Hummingbird

/// Counts every answer of the routes it wraps by HTTP status, in one counter with a
/// ``MetricLabel/status`` label: handlers do not count their own answers.
struct StatusCountMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: RuntimeMetrics
    /// A counter declared with the ``MetricLabel/status`` label.
    let metric: RuntimeMetric

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            let response = try await next(request, context)
            count(response.status)
            return response
        } catch {
            count((error as? any HTTPResponseError)?.status ?? .internalServerError)
            throw error
        }
    }

    private func count(_ status: HTTPResponse.Status) {
        metrics.increment(metric, [.status: String(status.code)])
    }
}

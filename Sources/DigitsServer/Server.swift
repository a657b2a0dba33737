import DigitsKit
import Hummingbird
import NIOCore

/// Where the server listens.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}

/// Every error becomes a JSON body with its status: unknown paths (404), refused methods,
/// bodies too large (413), and anything unexpected (500) — the server keeps serving.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return Self.response(error)
        } catch let error as HTTPError {
            let message = error.status == .notFound ? "no such path: \(request.method) \(request.uri.path)"
                : error.status == .contentTooLarge ? "request body over the \(PredictionAPI.bodyLimit)-byte limit"
                : error.body ?? error.status.reasonPhrase
            return Self.response(APIError(error.status.code, message))
        } catch {
            return Self.response(APIError(500, "internal error: \(error)"))
        }
    }

    static func response(_ error: APIError) -> Response {
        json(error.json, status: .init(code: error.status))
    }
}

/// A JSON response.
func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
             body: .init(byteBuffer: ByteBuffer(string: text)))
}

/// The routes: the API, the health check and the page. The model is read-only once loaded,
/// so concurrent requests share it without locks.
public func buildRouter(model: Model, modelSource: String, page: WebPage) -> Router<BasicRequestContext> {
    let router = Router()
    router.add(middleware: JSONErrorMiddleware())
    let modelJSON = PredictionAPI.modelJSON(model, source: modelSource)

    /// The body of a POST, refused before reading when its declared length is over the limit
    /// (otherwise while collecting), or when its type is one the API does not read.
    @Sendable func body(of request: Request) async throws -> (bytes: [UInt8], contentType: String?) {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > PredictionAPI.bodyLimit {
            throw APIError(413, "request body of \(length) bytes, over the \(PredictionAPI.bodyLimit)-byte limit")
        }
        let contentType = request.headers[.contentType]
        guard PredictionAPI.Kind(contentType: contentType) != nil else { throw PredictionAPI.unsupported(contentType) }
        let buffer = try await request.body.collect(upTo: PredictionAPI.bodyLimit)
        return ([UInt8](buffer: buffer), contentType)
    }
    router.post("/api/predict") { request, _ -> Response in
        let (bytes, contentType) = try await body(of: request)
        return json(try PredictionAPI.predict(body: bytes, contentType: contentType, model: model))
    }
    router.post("/api/number") { request, _ -> Response in
        let (bytes, contentType) = try await body(of: request)
        return json(try PredictionAPI.number(body: bytes, contentType: contentType, model: model))
    }
    router.get("/api/model") { _, _ in json(modelJSON) }
    router.get("/healthz") { _, _ in json("{\"status\":\"ok\"}") }
    for (path, file) in page.files {
        let response = Response(status: .ok, headers: [
            .contentType: file.contentType,
            .cacheControl: "no-cache",
            // The page may load nothing from elsewhere.
            .contentSecurityPolicy: "default-src 'self'; img-src 'self' data: blob:; connect-src 'self'",
        ], body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
        router.get(RouterPath(path)) { _, _ in response }
    }
    return router
}

/// The server: `buildRouter` on `settings`' address. `runService()` runs it until SIGINT or
/// SIGTERM, then shuts down gracefully (swift-service-lifecycle).
public func buildApplication(_ settings: ServerSettings, model: Model, modelSource: String, page: WebPage)
    -> some ApplicationProtocol {
    Application(router: buildRouter(model: model, modelSource: modelSource, page: page),
                configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "digits-server"))
}

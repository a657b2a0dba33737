#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DigitsKit
import Hummingbird
import NIOCore
import NIOHTTP1

/// Where the server listens, and how long it waits on a client.
public struct ServerSettings: Sendable {
    /// The default `idleTimeout`: long enough for a person's browser between requests, short
    /// enough that silent or trickling clients cannot hold connections for long.
    public static let defaultIdleTimeout = 15.0
    /// The default `bodyTimeout`.
    public static let defaultBodyTimeout = 30.0

    public var host: String
    public var port: Int
    /// Seconds a connection may stay without a whole request head (silent, or sending its
    /// headers a byte at a time), or idle between requests, before the server closes it.
    public var idleTimeout: Double
    /// Seconds a request's body may take to arrive after its head (1 MiB in 30 s is 35 KB/s).
    public var bodyTimeout: Double

    public init(host: String = "127.0.0.1", port: Int = 8080, idleTimeout: Double = defaultIdleTimeout,
                bodyTimeout: Double = defaultBodyTimeout) {
        self.host = host
        self.port = port
        self.idleTimeout = idleTimeout
        self.bodyTimeout = bodyTimeout
    }
}

/// The methods each path answers, so that a known path asked with another method is a 405
/// naming them (`Allow`) rather than the router's 404.
struct AllowedMethods: Sendable {
    private var methods: [String: [HTTPRequest.Method]] = [:]

    /// Records `method` for `path`; a GET also answers HEAD (the router's generated endpoints).
    mutating func add(_ method: HTTPRequest.Method, _ path: String) {
        methods[path, default: []] += method == .get ? [.get, .head] : [method]
    }

    /// `Allow`'s value for `path` ("GET, HEAD"), or nil for a path no route has.
    func allow(_ path: String) -> String? {
        methods[path].map { $0.map(\.rawValue).joined(separator: ", ") }
    }
}

/// Every error becomes a JSON body with its status: unknown paths (404), known paths asked
/// with another method (405, with `Allow`), bodies too large (413), and anything unexpected
/// (500, its details logged, not sent) — the server keeps serving.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let allowed: AllowedMethods

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = await respond(request, context: context, next: next)
        // The request asked for the connection to close (or is HTTP/1.0 without keep-alive,
        // see `CloseUnlessKeptAlive`): Hummingbird will, and the response says so.
        if request.headers[.connection] == "close" { response.headers[.connection] = "close" }
        return response
    }

    /// The response of the route, or the error it threw as JSON.
    private func respond(_ request: Request, context: Context,
                         next: (Request, Context) async throws -> Response) async -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return Self.response(error)
        } catch let error as HTTPError {
            if error.status == .notFound, let allow = allowed.allow(request.uri.path) {
                var response = Self.response(APIError(405, "\(request.method) not allowed on \(request.uri.path): use \(allow)"))
                response.headers[.allow] = allow
                return response
            }
            let message = error.status == .notFound ? "no such path: \(request.method) \(request.uri.path)"
                : error.status == .contentTooLarge ? "request body over the \(PredictionAPI.bodyLimit)-byte limit"
                : error.body ?? error.status.reasonPhrase
            return Self.response(APIError(error.status.code, message, closesConnection: error.status == .contentTooLarge))
        } catch {
            context.logger.error("internal error on \(request.method) \(request.uri.path): \(error)")
            return Self.response(APIError(500, "internal error"))
        }
    }

    /// The error as JSON, with `Connection: close` when the error leaves the request unread.
    static func response(_ error: APIError) -> Response {
        var response = json(error.json, status: .init(code: error.status))
        if error.closesConnection { response.headers[.connection] = "close" }
        return response
    }
}

/// A JSON response.
func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
             body: .init(byteBuffer: ByteBuffer(string: text)))
}

/// One route: a method, a path and what answers it.
struct Route: Sendable {
    let method: HTTPRequest.Method
    let path: String
    let handler: @Sendable (Request, BasicRequestContext) async throws -> Response
}

/// The routes: the API, the health check and the page. The model is read-only once loaded,
/// so concurrent requests share it without locks.
public func buildRouter(model: Model, modelSource: String, page: WebPage,
                        slots: PredictionSlots = PredictionSlots()) -> Router<BasicRequestContext> {
    let routes = apiRoutes(model: model, modelSource: modelSource, slots: slots) + pageRoutes(page)
    var allowed = AllowedMethods()
    for route in routes { allowed.add(route.method, route.path) }
    // HEAD on every GET route answers as GET does, without the body.
    let router = Router(options: .autoGenerateHeadEndpoints)
    // Middleware applies only to the routes added after it, so it comes first.
    router.add(middleware: JSONErrorMiddleware(allowed: allowed))
    for route in routes {
        router.on(RouterPath(route.path), method: route.method, use: route.handler)
    }
    return router
}

/// `POST /api/predict`, `POST /api/number` (each in one of `slots`), `GET /api/model` and
/// `GET /healthz`.
func apiRoutes(model: Model, modelSource: String, slots: PredictionSlots) -> [Route] {
    let modelJSON = PredictionAPI.modelJSON(model, source: modelSource)

    /// The body of a POST, refused before reading when its declared length is over the limit
    /// (otherwise while collecting), or when its type is one the API does not read; a body
    /// refused unread closes the connection.
    @Sendable func body(of request: Request) async throws -> (bytes: [UInt8], contentType: String?) {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > PredictionAPI.bodyLimit {
            throw APIError(413, "request body of \(length) bytes, over the \(PredictionAPI.bodyLimit)-byte limit", closesConnection: true)
        }
        let contentType = request.headers[.contentType]
        guard PredictionAPI.Kind(contentType: contentType) != nil else {
            // Refused unread, so the connection closes rather than read the body through.
            let error = PredictionAPI.unsupported(contentType)
            throw APIError(error.status, error.message, closesConnection: true)
        }
        return (try await collect(request.body), contentType)
    }
    return [
        Route(method: .post, path: "/api/predict") { request, _ in
            let (bytes, contentType) = try await body(of: request)
            let withInput = wantsInput(request)
            return json(try await slots.run { () throws(APIError) in
                try PredictionAPI.predict(body: bytes, contentType: contentType, model: model, withInput: withInput)
            })
        },
        Route(method: .post, path: "/api/number") { request, _ in
            let (bytes, contentType) = try await body(of: request)
            let withInput = wantsInput(request)
            return json(try await slots.run { () throws(APIError) in
                try PredictionAPI.number(body: bytes, contentType: contentType, model: model, withInput: withInput)
            })
        },
        Route(method: .get, path: "/api/model") { _, _ in json(modelJSON) },
        Route(method: .get, path: "/healthz") { _, _ in json("{\"status\":\"ok\"}") },
    ]
}

/// The whole body, up to the limit: 413 over it (a chunked body, whose length is known only
/// once read), 400 when the body is malformed (a bad chunk) or the connection fails while
/// reading (never a 500 naming NIO's error).
func collect(_ body: RequestBody) async throws(APIError) -> [UInt8] {
    do {
        return [UInt8](buffer: try await body.collect(upTo: PredictionAPI.bodyLimit))
    } catch is NIOTooManyBytesError {
        throw APIError(413, "request body over the \(PredictionAPI.bodyLimit)-byte limit", closesConnection: true)
    } catch is HTTPParserError {
        throw .malformedRequest
    } catch {
        throw APIError(400, "request body could not be read: the connection failed while sending it", closesConnection: true)
    }
}

/// `GET` for every file of the page, from memory.
func pageRoutes(_ page: WebPage) -> [Route] {
    page.files.sorted { $0.key < $1.key }.map { path, file in
        let response = Response(status: .ok, headers: [
            .contentType: file.contentType,
            .cacheControl: "no-cache",
            // The page may load nothing from elsewhere.
            .contentSecurityPolicy: "default-src 'self'; img-src 'self' data: blob:; connect-src 'self'",
        ], body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
        return Route(method: .get, path: path) { _, _ in response }
    }
}

/// The server: `buildRouter` on `settings`' address, with its timeouts. `runService()` runs it
/// until SIGINT or SIGTERM, then shuts down gracefully (swift-service-lifecycle).
public func buildApplication(_ settings: ServerSettings, model: Model, modelSource: String, page: WebPage)
    -> some ApplicationProtocol {
    Application(router: buildRouter(model: model, modelSource: modelSource, page: page),
                server: .digits(idleTimeout: settings.idleTimeout, bodyTimeout: settings.bodyTimeout),
                configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "digits-server"))
}

/// Whether the request asks for the 28×28 input with its answer (`?input=1` or `?input=true`):
/// the page does, to draw it; a script reading digits need not pay for it.
func wantsInput(_ request: Request) -> Bool {
    guard let value = request.uri.queryParameters.get("input") else { return false }
    return value == "1" || value == "true"
}

/// What a failure to start means, when it is one a person can act on: the port taken, or one
/// that needs privileges. nil for anything else.
public func startupFailure(_ error: any Error, host: String, port: Int) -> String? {
    guard let io = error as? IOError else { return nil }
    switch io.errnoCode {
    case EADDRINUSE: return "port \(port) on \(host) is already in use (another digits-server?): choose another with --port"
    case EACCES: return "port \(port) on \(host) needs privileges to listen on (ports below 1024): choose another with --port"
    case EADDRNOTAVAIL: return "\(host) is not an address of this machine: choose another with --host"
    default: return nil
    }
}

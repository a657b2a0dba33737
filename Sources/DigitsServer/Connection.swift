import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Closes the connection once a response that says `Connection: close` has been written, and
/// passes on nothing read after its head. After a refused body (413) the bytes that follow cannot be
/// told apart from a next request, so none of them is read as one: the client sends it again on
/// a new connection.
///
/// It also gives NIO's parser errors (a bad chunk size, an unknown `Transfer-Encoding`), which
/// Hummingbird answers 400 with no body, the API's JSON error body.
final class CloseAfterResponse: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Set by the head of a `Connection: close` response; its end closes the connection.
    private var closing = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let response) where response.headerFields[.connection] == "close":
            closing = true
            if response.status == .badRequest, response.headerFields[.contentType] == nil {
                // Hummingbird's own answer to a request NIO could not parse: no body.
                let body = ByteBuffer(string: APIError.malformedRequest.json)
                var head = response
                head.headerFields[.contentType] = "application/json"
                head.headerFields[.contentLength] = String(body.readableBytes)
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                context.write(wrapOutboundOut(.body(body)), promise: promise)
            } else {
                context.write(data, promise: promise)
            }
        case .end where closing:
            // Output only, once the response is out (a lingering close): a full close with the
            // client's bytes still unread would reset the connection, and a reset can discard
            // the response before the client reads it. Reading ends when the client closes, or
            // at the idle timeout, since nothing read reaches Hummingbird's idle timer any more.
            context.writeAndFlush(data, promise: promise)
            context.close(mode: .output, promise: nil)
        default:
            context.write(data, promise: promise)
        }
    }
}

extension APIError {
    /// 400 for a request NIO's parser refused, before its head or in its body (a bad chunk).
    static let malformedRequest = APIError(400, "malformed HTTP request: its framing or headers could not be parsed",
                                           closesConnection: true)
}

/// Closes the connection when a request's body has not all arrived `timeout` after its head.
/// Hummingbird's idle timer restarts at every piece of a body, so a client sending one byte a
/// second would otherwise hold its connection (and the route waiting on its body) until the
/// body limit. No answer is sent: the route is still reading the body.
final class BodyDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            let loop = context.eventLoop.assumeIsolated()
            deadline = loop.scheduleTask(in: timeout) { context.close(promise: nil) }
        case .end:
            deadline?.cancel()
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }
}

/// Marks a request that does not ask to keep its connection (HTTP/1.0 without
/// `Connection: keep-alive`, or `Connection: close` however spelled) with exactly
/// `Connection: close`, the one form after which Hummingbird closes the connection once it has
/// answered. It sits right behind NIO's decoder: the conversion to swift-http-types that
/// follows drops the HTTP version.
final class CloseUnlessKeptAlive: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data), !head.isKeepAlive else {
            context.fireChannelRead(data)
            return
        }
        head.headers.replaceOrAdd(name: "Connection", value: "close")
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }
}

/// Hummingbird's HTTP/1 channel (idle timeout, `CloseAfterResponse`, `BodyDeadline`) with
/// `CloseUnlessKeptAlive` added behind NIO's request decoder.
struct DigitsHTTP1Channel: ServerChildChannel {
    let http1: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(CloseUnlessKeptAlive(), position: .after(decoder))
            return value
        }
    }

    func handle(value: HTTP1Channel.Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 as `digits-server` serves it: `DigitsHTTP1Channel`, closed after `idleTimeout`
    /// seconds without a whole request head or between requests, or `bodyTimeout` seconds
    /// after a request head without its whole body.
    static func digits(idleTimeout: Double, bodyTimeout: Double) -> HTTPServerBuilder {
        .init { responder in
            let configuration = HTTP1Channel.Configuration(
                additionalChannelHandlers: [CloseAfterResponse(), BodyDeadline(timeout: .nanoseconds(Int64(bodyTimeout * 1e9)))],
                idleTimeout: .nanoseconds(Int64(idleTimeout * 1e9)))
            return DigitsHTTP1Channel(http1: HTTP1Channel(responder: responder, configuration: configuration))
        }
    }
}

import NIOCore

/// Cuts a worker's standard output into ``WorkerFrame``s.
struct WorkerFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = WorkerFrame

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try WorkerFrame.read(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }
}

/// Hands a worker's frames and the end of its stream to its pool, on the pool's event loop.
final class WorkerChannelHandler: ChannelInboundHandler {
    typealias InboundIn = WorkerFrame

    private let onFrame: @Sendable (WorkerFrame) -> Void
    private let onEnd: @Sendable () -> Void

    /// - Parameters:
    ///   - onFrame: a whole frame arrived.
    ///   - onEnd: the stream ended or broke (the worker is gone or misbehaving).
    init(onFrame: @escaping @Sendable (WorkerFrame) -> Void, onEnd: @escaping @Sendable () -> Void) {
        (self.onFrame, self.onEnd) = (onFrame, onEnd)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        onFrame(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        onEnd()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A broken frame or a failed read: the worker cannot be trusted with another call.
        context.close(promise: nil)
    }
}

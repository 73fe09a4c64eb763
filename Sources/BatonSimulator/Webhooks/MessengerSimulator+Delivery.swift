import AsyncHTTPClient
import NIOCore
import NIOHTTP1

extension MessengerSimulator {
    /// A body ready to POST.
    struct Batch: Sendable {
        var body: [UInt8]
        var count: Int
    }

    /// Queues an event for an app's webhook.
    func enqueue(app: String, _ event: PendingEvent) {
        guard !isShutDown else { return }
        queues[app, default: []].append(event)
        outstanding += 1
        if let waiter = queueWaiters.removeValue(forKey: app) { waiter.resume(returning: true) }
    }

    /// Suspends until the app has pending events; `false` after shutdown.
    func waitForWork(_ app: String) async -> Bool {
        if isShutDown { return false }
        if !(queues[app] ?? []).isEmpty { return true }
        return await withCheckedContinuation { queueWaiters[app] = $0 }
    }

    /// Takes up to `maxEventsPerDelivery` events and renders them as one body: one entry per event.
    func takeBatch(_ app: String) -> Batch? {
        let pending = queues[app] ?? []
        guard !pending.isEmpty else { return nil }
        let count = min(max(1, knobs.maxEventsPerDelivery), pending.count)
        queues[app] = Array(pending.dropFirst(count))
        var events = Array(pending.prefix(count))
        if knobs.reorderWithinBatch { events.shuffle(using: &rng) }
        let time = clock.now
        let entries = events.map { event in
            JSONValue.obj([
                ("id", .string(event.page)),
                ("time", .int(time)),
                (event.channel.rawValue, .array([event.event])),
            ])
        }
        let body = JSONValue.obj([("object", .string("page")), ("entry", .array(entries))])
        return Batch(body: body.metaSerialized(), count: count)
    }

    /// Marks a batch as done (acknowledged or given up) and wakes quiet waiters.
    func finishBatch(count: Int) {
        outstanding -= count
        if outstanding <= 0 {
            outstanding = 0
            let waiters = quietWaiters
            quietWaiters = [:]
            for (_, waiter) in waiters { waiter.resume() }
        }
    }

    func rollDuplicate() -> Bool { rng.chance(knobs.duplicateDeliveryRate) }

    func log(_ attempt: DeliveryAttempt) { deliveries.append(attempt) }

    func startDeliveryWorkers(client: HTTPClient) {
        for app in appsWithWebhook {
            deliveryTasks.append(Task { await self.runDelivery(app: app, client: client) })
        }
    }

    /// One app's delivery loop: strictly one body in flight, retried until acknowledged.
    nonisolated func runDelivery(app: SimulatorConfiguration.App, client: HTTPClient) async {
        let knobs = configuration.knobs
        while !Task.isCancelled {
            guard await waitForWork(app.id) else { return }
            if knobs.maxEventsPerDelivery > 1 { try? await Task.sleep(for: knobs.batchWindow) }
            guard let batch = await takeBatch(app.id) else { continue }
            if await holdBack(batch, app: app, client: client) { continue }
            let acknowledged = await post(batch, to: app, client: client, duplicate: false)
            if acknowledged, await rollDuplicate() {
                _ = await post(batch, to: app, client: client, duplicate: true)
            }
            if acknowledged { await scheduleLateRedelivery(batch, app: app, client: client) }
            await finishBatch(count: batch.count)
        }
    }

    /// POSTs a body with its signature until a 2xx, the attempt limit, or cancellation.
    nonisolated func post(_ batch: Batch, to app: SimulatorConfiguration.App, client: HTTPClient, duplicate: Bool, late: Bool = false) async -> Bool {
        let knobs = configuration.knobs
        let signature = MessengerCrypto.hubSignature256(body: batch.body, secret: app.secret)
        let text = String(decoding: batch.body, as: UTF8.self)
        var backoff = knobs.initialRedeliveryBackoff
        var attempt = 0
        while !Task.isCancelled {
            attempt += 1
            var request = HTTPClientRequest(url: app.webhookURL ?? "")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "X-Hub-Signature-256", value: signature)
            request.body = .bytes(ByteBuffer(bytes: batch.body))
            var record = DeliveryAttempt(
                appID: app.id, attempt: attempt, isDuplicate: duplicate, isLate: late, eventCount: batch.count, status: nil, error: nil, body: text)
            do {
                let response = try await client.execute(request, timeout: .milliseconds(knobs.deliveryTimeout.milliseconds))
                _ = try? await response.body.collect(upTo: 1 << 20)
                record.status = Int(response.status.code)
            } catch {
                record.error = "\(error)"
            }
            await log(record)
            if let status = record.status, (200..<300).contains(status) { return true }
            if let limit = knobs.maxDeliveryAttempts, attempt >= limit { return false }
            do { try await Task.sleep(for: backoff) } catch { return false }
            backoff = min(backoff * 2, knobs.maxRedeliveryBackoff)
        }
        return false
    }
}

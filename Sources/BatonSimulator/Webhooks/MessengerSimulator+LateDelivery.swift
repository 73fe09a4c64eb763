import AsyncHTTPClient

/// Reordering across POSTs and late duplicates (knobs `holdBackRate`, `lateRedeliveryRate`,
/// `lateDeliveryDelay`): a body is POSTed by its own task after the delay, while the app's queue goes on.
extension MessengerSimulator {
    /// With probability `holdBackRate`, hands the body to a late task (the loop goes on with later
    /// bodies) and returns `true`; the body stays outstanding until that task is done.
    func holdBack(_ batch: Batch, app: SimulatorConfiguration.App, client: HTTPClient) -> Bool {
        guard !isShutDown, rng.chance(knobs.holdBackRate) else { return false }
        scheduleLate(batch, app: app, client: client, duplicate: false)
        return true
    }

    /// With probability `lateRedeliveryRate`, schedules the acknowledged body once more, late.
    func scheduleLateRedelivery(_ batch: Batch, app: SimulatorConfiguration.App, client: HTTPClient) {
        guard !isShutDown, rng.chance(knobs.lateRedeliveryRate) else { return }
        outstanding += batch.count
        scheduleLate(batch, app: app, client: client, duplicate: true)
    }

    /// POSTs the body (with retries) after `lateDeliveryDelay`, then marks it done.
    private func scheduleLate(_ batch: Batch, app: SimulatorConfiguration.App, client: HTTPClient, duplicate: Bool) {
        let delay = knobs.lateDeliveryDelay
        deliveryTasks.append(Task {
            try? await Task.sleep(for: delay)
            _ = await self.post(batch, to: app, client: client, duplicate: duplicate, late: true)
            self.finishBatch(count: batch.count)
        })
    }

    /// A timestamp for a new event: usually the next millisecond of the clock; with probability
    /// `sameMillisecondRate` the previous event's timestamp again.
    func eventStamp() -> Int64 {
        let last = clock.lastTimestamp
        if last > 0, rng.chance(knobs.sameMillisecondRate) { return last }
        return clock.stamp()
    }
}

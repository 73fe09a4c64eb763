extension RuntimeMetric {
    /// Webhook POSTs by HTTP status.
    public static let webhookRequests = RuntimeMetric(
        "baton_webhook_requests_total", help: "Webhook POSTs by HTTP status.", kind: .counter, labels: [.status])
    /// Webhook events by kind and whether they were new.
    public static let webhookEvents = RuntimeMetric(
        "baton_webhook_events_total", help: "Webhook events by kind and whether they were new.", kind: .counter,
        labels: [.kind, .new])
    /// Events processed by kind.
    public static let eventsProcessed = RuntimeMetric(
        "baton_events_processed_total", help: "Events processed, by kind.", kind: .counter, labels: [.kind])
    /// User messages not answered because the 24-hour window had closed.
    public static let messagesOutsideWindow = RuntimeMetric(
        "baton_messages_outside_window_total",
        help: "User messages not answered because the 24-hour window had closed.", kind: .counter)
    /// Conversations passed to a human, by reason.
    public static let escalations = RuntimeMetric(
        "baton_escalations_total", help: "Conversations passed to a human, by reason.", kind: .counter,
        labels: [.reason])
    /// Graph API calls by action and result.
    public static let graphCalls = RuntimeMetric(
        "baton_graph_calls_total", help: "Graph API calls by action and result.", kind: .counter,
        labels: [.action, .result])
    /// Skill calls by skill, operation and result.
    public static let skillCalls = RuntimeMetric(
        "baton_skill_calls_total", help: "Skill calls by skill, operation and result.", kind: .counter,
        labels: [.skill, .op, .result])
    /// Graph calls given up on (dead letters).
    public static let outboxDeadTotal = RuntimeMetric(
        "baton_outbox_dead_total", help: "Graph calls given up on (dead letters).", kind: .counter)
    /// Sends from before a restart found to have arrived, not repeated.
    public static let outboxConfirmed = RuntimeMetric(
        "baton_outbox_confirmed_total",
        help: "Sends from before a restart found to have arrived (by echo or conversation read), not repeated.",
        kind: .counter, labels: [.by])
    /// Graph calls retried after a transient failure, by action and error code.
    public static let graphRetries = RuntimeMetric(
        "baton_graph_retries_total", help: "Graph calls retried after a transient failure, by action and error code.",
        kind: .counter, labels: [.action, .code])
    /// Messages whose skills kept killing the process, escalated instead.
    public static let skillCrashLoops = RuntimeMetric(
        "baton_skill_crash_loops_total", help: "Messages whose skills kept killing the process, escalated instead.",
        kind: .counter)
    /// Events set aside after their processing began 3 times without finishing, by kind.
    public static let eventsQuarantined = RuntimeMetric(
        "baton_events_quarantined_total",
        help: "Events set aside after their processing began 3 times without finishing, by kind.", kind: .counter,
        labels: [.kind])
    /// Escalation passes Meta refused or that ran out of retries, by reason.
    public static let escalationsFailed = RuntimeMetric(
        "baton_escalations_failed_total",
        help: "Escalation passes Meta refused or that ran out of retries, by reason; each is retried later.",
        kind: .counter, labels: [.reason])
    /// Times a Page's Graph calls were paused because Meta throttled or restricted it, by reason.
    public static let pagePauses = RuntimeMetric(
        "baton_page_pauses_total",
        help: "Times a Page's Graph calls were paused because Meta throttled or restricted it, by reason.",
        kind: .counter, labels: [.reason])
    /// Media uploads to Meta's Attachment Upload API (media a skill sends by URL), by result.
    public static let attachmentUploads = RuntimeMetric(
        "baton_attachment_uploads_total",
        help: "Media uploads to the Attachment Upload API (media skills send by URL), by result.",
        kind: .counter, labels: [.result])
    /// Sends of media by an attachment id kept from an earlier upload, instead of a new upload.
    public static let attachmentReuses = RuntimeMetric(
        "baton_attachment_reuses_total",
        help: "Sends of media by an attachment id kept from an earlier upload, instead of a new upload.",
        kind: .counter)

    /// Conversations another Baton-hosted bot handed to this one, by the sender's reason.
    public static let handOffsReceived = RuntimeMetric(
        "baton_hand_offs_received_total",
        help: "Conversations another Baton-hosted bot handed to this one (the pass carried a message to answer), by reason.",
        kind: .counter, labels: [.reason])

    /// Skill worker processes replaced (`isolation: process`), by skill and reason: `crash`,
    /// `timeout` (killed at a call's deadline) or `memory`.
    public static let skillWorkerRestarts = RuntimeMetric(
        "baton_skill_worker_restarts_total",
        help: "Skill worker processes replaced, by skill and reason (crash, timeout, memory).", kind: .counter,
        labels: [.skill, .reason])

    /// Skill reloads (SIGHUP) by skill and result: `loaded` (a new or changed version serves),
    /// `unchanged`, or `refused` (the new version failed its checks; the old one serves).
    public static let skillReloads = RuntimeMetric(
        "baton_skill_reloads_total", help: "Skill reloads (SIGHUP) by skill and result (loaded, unchanged, refused).", kind: .counter,
        labels: [.skill, .result])

    /// Every counter.
    public static let counters: [RuntimeMetric] = [
        handOffsReceived, skillWorkerRestarts, skillReloads,
        webhookRequests, webhookEvents, eventsProcessed, messagesOutsideWindow, escalations, graphCalls, skillCalls,
        outboxDeadTotal, outboxConfirmed, graphRetries, skillCrashLoops, eventsQuarantined, escalationsFailed,
        pagePauses, attachmentUploads, attachmentReuses,
    ]
}

extension RuntimeMetric {
    /// Recorded webhook events not yet processed.
    public static let inboxPending = RuntimeMetric(
        "baton_inbox_pending", help: "Recorded webhook events not yet processed.", kind: .gauge)
    /// Planned Graph calls not yet finished.
    public static let outboxPending = RuntimeMetric(
        "baton_outbox_pending", help: "Planned Graph calls not yet finished.", kind: .gauge)
    /// Graph calls given up on (dead letters) in storage.
    public static let outboxDead = RuntimeMetric(
        "baton_outbox_dead", help: "Graph calls given up on (dead letters) in storage.", kind: .gauge)
    /// Events set aside because their processing kept killing the process.
    public static let inboxQuarantined = RuntimeMetric(
        "baton_inbox_quarantined", help: "Events set aside because their processing kept killing the process.",
        kind: .gauge)
    /// Escalation passes Meta refused, waiting for their next try.
    public static let escalationsPending = RuntimeMetric(
        "baton_escalations_pending", help: "Escalation passes Meta refused, waiting for their next try.", kind: .gauge)
    /// Pages whose Graph calls wait for a throttle to end.
    public static let pagesPaused = RuntimeMetric(
        "baton_pages_paused", help: "Pages whose Graph calls wait for a throttle to end.", kind: .gauge)
    /// Open HTTP connections.
    public static let httpConnections = RuntimeMetric(
        "baton_http_connections", help: "Open HTTP connections.", kind: .gauge)
    /// Most HTTP connections open at once since the start.
    public static let httpConnectionsPeak = RuntimeMetric(
        "baton_http_connections_peak", help: "Most HTTP connections open at once since the start.", kind: .gauge)

    /// Every gauge; each is read at scrape time.
    public static let gauges: [RuntimeMetric] = [
        inboxPending, outboxPending, outboxDead, inboxQuarantined, escalationsPending, pagesPaused, httpConnections,
        httpConnectionsPeak,
    ]
}

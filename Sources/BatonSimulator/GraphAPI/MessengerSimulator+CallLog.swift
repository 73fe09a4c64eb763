extension MessengerSimulator {
    /// Every Send API, thread-control and `thread_owner` call so far, in order, with the owner at
    /// that moment and whether it was accepted.
    /// - Parameters:
    ///   - page: Only calls to this Page, when set.
    ///   - user: Only calls naming this PSID, when set.
    /// - Returns: The calls.
    public func graphCalls(page: String? = nil, user: String? = nil) -> [GraphCallRecord] {
        callLog.filter { (page == nil || $0.page == page) && (user == nil || $0.psid == user) }
    }

    /// The Send API calls (`POST /messages`) so far, accepted or not, with the owner at that moment.
    /// - Parameters:
    ///   - page: Only calls to this Page, when set.
    ///   - user: Only calls naming this PSID, when set.
    /// - Returns: The calls.
    public func sendCalls(page: String? = nil, user: String? = nil) -> [GraphCallRecord] {
        graphCalls(page: page, user: user).filter { $0.endpoint == "messages" }
    }
}

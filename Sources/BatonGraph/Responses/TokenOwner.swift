/// What `GET /me?fields=id,name` answers for an access token: the node it belongs to (for a
/// Page access token, the Page).
public struct TokenOwner: Sendable, Equatable {
    /// The node's id (a Page id for a Page token).
    public var id: String
    /// The node's name, when Meta gave one.
    public var name: String?

    /// - Parameters:
    ///   - id: The node's id.
    ///   - name: The node's name.
    public init(id: String, name: String?) {
        (self.id, self.name) = (id, name)
    }
}

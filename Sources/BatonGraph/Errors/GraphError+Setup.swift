extension GraphError {
    /// Meta refused the call's `appsecret_proof` (code 100, "Invalid appsecret_proof provided in
    /// the API argument"): the app secret is not the secret of the app the token was issued to.
    /// Told apart from a bad token (190) and from other invalid parameters (100).
    public var isInvalidAppSecretProof: Bool {
        code == 100 && message.lowercased().contains("appsecret_proof")
    }
}

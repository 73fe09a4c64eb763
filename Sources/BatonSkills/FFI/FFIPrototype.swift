/// A C function prototype as an operator writes it in the configuration, for example
/// `double refund_score(const char *text, size_t length)`: a return type, a name and the
/// parameters, each a type Baton knows (``CType``) with an optional name.
///
/// Parsing checks only the C: whether the function fits a responder or a detector is
/// ``check(for:)``'s business. The messages are stable, one line each (``FFISkillError``).
public struct FFIPrototype: Sendable, Equatable, CustomStringConvertible {
    /// The C types Baton can pass to or read from a plain function.
    public enum CType: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
        /// `double`: a detector's score.
        case double = "double"
        /// `float`: a detector's score.
        case float = "float"
        /// `int` (or `int32_t`): a detector's flag, a responder's length.
        case int = "int"
        /// `bool` (or `_Bool`): a detector's flag.
        case bool = "bool"
        /// `size_t`: the text's length, the out buffer's capacity.
        case size = "size_t"
        /// `const char *`: the message text, NUL-terminated UTF-8.
        case text = "const char *"
        /// `char *`: a responder's out buffer.
        case buffer = "char *"
        /// `void`: only as `(void)`, no parameters; never fits a skill as a return type.
        case void = "void"

        /// The C spelling.
        public var description: String { rawValue }
    }

    /// One parameter.
    public struct Parameter: Sendable, Equatable, CustomStringConvertible {
        /// Its type.
        public var type: CType
        /// Its name, when the prototype gives one.
        public var name: String?

        /// - Parameters:
        ///   - type: its type.
        ///   - name: its name, if any.
        public init(_ type: CType, _ name: String? = nil) {
            (self.type, self.name) = (type, name)
        }

        /// `const char *text`, `size_t length`, `size_t`.
        public var description: String {
            guard let name else { return type.rawValue }
            return type.rawValue.hasSuffix("*") ? type.rawValue + name : "\(type.rawValue) \(name)"
        }
    }

    /// What the function returns.
    public var returnType: CType
    /// The function's name: the symbol looked up in the library.
    public var name: String
    /// The parameters in declared order; empty for `()` and `(void)`.
    public var parameters: [Parameter]

    /// - Parameters:
    ///   - returnType: what the function returns.
    ///   - name: the symbol.
    ///   - parameters: the parameters in order.
    public init(returnType: CType, name: String, parameters: [Parameter]) {
        (self.returnType, self.name, self.parameters) = (returnType, name, parameters)
    }

    /// Parses a prototype; a trailing `;` is allowed, parameter names are optional.
    /// - Parameter text: for example `double refund_score(const char *text, size_t length)`.
    /// - Throws: ``FFISkillError`` with code `unparsable` (`cannot parse '…': …`) or
    ///   `unknownType` (`unknown type 'long double' in parameter 1`,
    ///   `unknown return type 'long double'`).
    public init(parsing text: String) throws(FFISkillError) {
        self = try FFIPrototypeParser.parse(text)
    }

    /// The prototype in canonical spelling: `double refund_score(const char *text, size_t length)`.
    public var description: String {
        "\(returnType.rawValue)\(returnType.rawValue.hasSuffix("*") ? "" : " ")\(name)("
            + (parameters.isEmpty ? "void" : parameters.map(\.description).joined(separator: ", ")) + ")"
    }

    /// The kind the shape suggests: a responder when the last two parameters are the out
    /// buffer pair (`char *out, size_t out_capacity`), a detector otherwise. `baton skill check`
    /// uses it; the configuration names the kind.
    public var inferredKind: SkillKind {
        let types = parameters.map(\.type)
        return types.count >= 2 && Array(types.suffix(2)) == [.buffer, .size] ? .responder : .detector
    }
}

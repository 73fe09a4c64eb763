public import BatonCore

/// Why a plain C function cannot be bound as a skill: its prototype does not parse, does not
/// fit the skill's kind, or its library or symbol cannot be found. Its `description` is the
/// message alone, one line, e.g. `unknown type 'long double' in parameter 1` or
/// `symbol 'refund_scor' not found in ./librefund.so`: the configuration reader puts the
/// key in front of it.
public struct FFISkillError: Error, CustomStringConvertible, Equatable {
    /// The kind of failure; an extensible set.
    public typealias Code = ErrorCode<FFISkillError>

    /// The kind of failure.
    public var code: Code
    /// What is wrong, one line.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - message: what is wrong, one line.
    public init(_ code: Code, _ message: String) {
        (self.code, self.message) = (code, message)
    }

    /// The message.
    public var description: String { message }
}

extension ErrorCode where Domain == FFISkillError {
    /// The text is not a C prototype `TYPE NAME(PARAMETERS)`.
    public static var unparsable: Self { Self("unparsable") }
    /// A parameter or the return type is not one Baton can pass or read.
    public static var unknownType: Self { Self("unknownType") }
    /// Too many or too few parameters for the kind.
    public static var wrongArity: Self { Self("wrongArity") }
    /// A parameter of the wrong type, or twice the same, for the kind.
    public static var wrongShape: Self { Self("wrongShape") }
    /// A responder without `char *out, size_t out_capacity` as its last two parameters.
    public static var missingOutBuffer: Self { Self("missingOutBuffer") }
    /// The return type does not fit the kind.
    public static var wrongReturnType: Self { Self("wrongReturnType") }
    /// The kind is neither exactly `responder` nor exactly `detector`.
    public static var wrongKind: Self { Self("wrongKind") }
    /// The library cannot be opened (missing, unsafe permissions, not a shared library).
    public static var notALibrary: Self { Self("notALibrary") }
    /// The library does not export the function.
    public static var missingSymbol: Self { Self("missingSymbol") }
    /// libffi refused the call interface.
    public static var prepareFailed: Self { Self("prepareFailed") }
}

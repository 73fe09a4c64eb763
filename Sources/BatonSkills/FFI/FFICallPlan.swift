/// How one plain function is called as a skill of one kind: what each parameter receives
/// and how the return value is read. Made by ``FFIPrototype/check(for:)``.
struct FFICallPlan: Sendable, Equatable {
    /// What a parameter receives.
    enum Argument: Sendable, Equatable {
        /// The message text, NUL-terminated UTF-8 (`const char *`).
        case text
        /// The text's length in bytes, without the NUL (`size_t`).
        case length
        /// A responder's out buffer (`char *`).
        case out
        /// The out buffer's capacity in bytes (`size_t`).
        case capacity
    }

    /// How the return value is read.
    enum Result: Sendable, Equatable {
        /// A detector's score: `double`, must be finite and in [0, 1].
        case doubleScore
        /// A detector's score: `float`, must be finite and in [0, 1].
        case floatScore
        /// A detector's flag: `int`, non-zero means 1.
        case intFlag
        /// A detector's flag: `bool`, non-zero means 1.
        case boolFlag
        /// A responder's reply length: `int`, 0 no answer, negative an error.
        case replyLength
    }

    var arguments: [Argument]
    var result: Result
}

extension FFIPrototype {
    /// The inputs' part of the shapes, for messages.
    private static let inputShape = "const char * (the text) and size_t (its length)"
    private static let responderShape = "(const char *text, size_t length, char *out, size_t out_capacity)"

    /// Checks that the function fits `kind`:
    /// - a detector returns `double` or `float` (a score in [0, 1]), `int` or `bool` (non-zero
    ///   means 1), and takes `const char *` (the text) and optionally `size_t` (its length), in
    ///   either order;
    /// - a responder returns `int` and takes the same inputs followed by the out buffer pair
    ///   `char *out, size_t out_capacity`.
    /// - Parameter kind: exactly `.responder` or exactly `.detector`.
    /// - Throws: ``FFISkillError`` with a stable one-line message.
    public func check(for kind: SkillKind) throws(FFISkillError) {
        _ = try plan(for: kind)
    }

    /// ``check(for:)``, returning how to call the function.
    func plan(for kind: SkillKind) throws(FFISkillError) -> FFICallPlan {
        switch kind {
        case .detector: return try detectorPlan()
        case .responder: return try responderPlan()
        default:
            throw FFISkillError(.wrongKind, "a plain function is a responder or a detector, not \(kind)")
        }
    }

    private func detectorPlan() throws(FFISkillError) -> FFICallPlan {
        let result: FFICallPlan.Result
        switch returnType {
        case .double: result = .doubleScore
        case .float: result = .floatScore
        case .int: result = .intFlag
        case .bool: result = .boolFlag
        default:
            throw FFISkillError(
                .wrongReturnType,
                "return type '\(returnType)' does not fit a detector: return double or float (a score in [0, 1]), int or bool (non-zero means 1)")
        }
        guard (1...2).contains(parameters.count) else {
            throw FFISkillError(
                .wrongArity, "a detector takes 1 or 2 parameters (const char *text, size_t length), got \(parameters.count)")
        }
        return FFICallPlan(arguments: try inputs(parameters, kind: "detector"), result: result)
    }

    private func responderPlan() throws(FFISkillError) -> FFICallPlan {
        guard returnType == .int else {
            throw FFISkillError(
                .wrongReturnType,
                "return type '\(returnType)' does not fit a responder: return int (the reply's length in bytes, 0 for no answer, negative for an error)")
        }
        guard parameters.count >= 2, Array(parameters.suffix(2).map(\.type)) == [.buffer, .size] else {
            throw FFISkillError(
                .missingOutBuffer,
                "a responder needs the out buffer pair (char *out, size_t out_capacity) as its last two parameters: \(Self.responderShape)")
        }
        guard (3...4).contains(parameters.count) else {
            throw FFISkillError(.wrongArity, "a responder takes 3 or 4 parameters \(Self.responderShape), got \(parameters.count)")
        }
        let inputs = try inputs(Array(parameters.dropLast(2)), kind: "responder")
        return FFICallPlan(arguments: inputs + [.out, .capacity], result: .replyLength)
    }

    /// The input parameters: the text once, its length at most once, nothing else.
    private func inputs(_ inputs: [Parameter], kind: String) throws(FFISkillError) -> [FFICallPlan.Argument] {
        var arguments: [FFICallPlan.Argument] = []
        for (offset, parameter) in inputs.enumerated() {
            let argument: FFICallPlan.Argument
            switch parameter.type {
            case .text: argument = .text
            case .size: argument = .length
            default:
                throw FFISkillError(
                    .wrongShape, "parameter \(offset + 1) is '\(parameter.type)': a \(kind)'s inputs are \(Self.inputShape)")
            }
            guard !arguments.contains(argument) else {
                throw FFISkillError(
                    .wrongShape, "parameter \(offset + 1) repeats '\(parameter.type)': a \(kind) takes the text and its length once each")
            }
            arguments.append(argument)
        }
        guard arguments.contains(.text) else {
            throw FFISkillError(.wrongShape, "a \(kind) needs the message text: add a const char * parameter")
        }
        return arguments
    }
}

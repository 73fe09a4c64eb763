import BatonCore
import CBatonSkill
import CLibFFI

/// The blocking call itself: arguments laid out for libffi, the return value read and validated.
extension FFISkill {
    /// What the function returned, as its type says.
    enum Returned {
        case number(Double)
        case integer(Int32)
    }

    /// Calls the detector and validates its score.
    func score(_ text: String) throws(SkillCallError) -> SkillScore {
        switch call(text, out: nil) {
        case .number(let score):
            guard score.isFinite, score >= 0, score <= 1 else {
                throw failure(.detect, .invalidOutput, BATON_E_INVALID_ARGUMENT, "score \(score) is outside [0, 1]")
            }
            return SkillScore(score: score)
        case .integer(let flag):
            return SkillScore(score: flag == 0 ? 0 : 1)
        }
    }

    /// Calls the responder with an out buffer and validates what it wrote.
    func reply(_ text: String) throws(SkillCallError) -> ReplyMessage? {
        let capacity = Self.replyCapacity
        // One byte more than the capacity passed, for a function that NUL-terminates at out[length].
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity + 1) { buffer throws(SkillCallError) in
            guard case .integer(let length) = call(text, out: UnsafeMutableRawPointer(buffer.baseAddress)) else { return nil }
            if length == 0 { return nil }
            if length < 0 {
                throw failure(.respond, .skillFailed, length, "the function returned \(length)")
            }
            guard Int(length) <= capacity else {
                throw failure(
                    .respond, .invalidOutput, BATON_E_LIMIT,
                    "the function returned a length of \(length) bytes, more than the buffer's capacity of \(capacity)")
            }
            guard let reply = String(validating: UnsafeBufferPointer(rebasing: buffer[..<Int(length)]), as: UTF8.self) else {
                throw failure(.respond, .invalidOutput, BATON_E_INVALID_UTF8, "reply is not valid UTF-8")
            }
            guard BatonStr.fits(reply, maxScalars: Int(BATON_LIMIT_TEXT_CHARS)) else {
                throw failure(.respond, .invalidOutput, BATON_E_LIMIT, "reply text is longer than \(BATON_LIMIT_TEXT_CHARS) characters")
            }
            return .text(reply)
        }
    }

    /// Lays out the arguments the plan names, calls the function and reads its return value.
    private func call(_ text: String, out: UnsafeMutableRawPointer?) -> Returned {
        let slot = FFICallInterface.slotSize
        let count = plan.arguments.count
        let length = UInt(text.utf8.count)
        return text.withCString { cString in
            return withUnsafeTemporaryAllocation(byteCount: slot * (count + 1), alignment: slot) { storage in
                withUnsafeTemporaryAllocation(of: UnsafeMutableRawPointer?.self, capacity: max(1, count)) { pointers in
                    let base = storage.baseAddress!  // a non-empty allocation
                    for (index, argument) in plan.arguments.enumerated() {
                        let value = base + slot * index
                        switch argument {
                        case .text: value.storeBytes(of: UnsafeRawPointer(cString), as: UnsafeRawPointer.self)
                        case .length: value.storeBytes(of: length, as: UInt.self)
                        case .out: value.storeBytes(of: out, as: UnsafeMutableRawPointer?.self)
                        case .capacity: value.storeBytes(of: UInt(Self.replyCapacity), as: UInt.self)
                        }
                        pointers[index] = value
                    }
                    let result = base + slot * count
                    result.initializeMemory(as: UInt8.self, repeating: 0, count: slot)
                    interface.call(arguments: pointers.baseAddress!, result: result)
                    return read(result)
                }
            }
        }
    }

    /// The return value in `result`: integers come back widened to a whole `ffi_arg`.
    private func read(_ result: UnsafeMutableRawPointer) -> Returned {
        switch plan.result {
        case .doubleScore: .number(result.load(as: Double.self))
        case .floatScore: .number(Double(result.load(as: Float.self)))
        case .intFlag, .replyLength: .integer(Int32(truncatingIfNeeded: result.load(as: ffi_arg.self)))
        case .boolFlag: .integer(Int32(UInt8(truncatingIfNeeded: result.load(as: ffi_arg.self))))
        }
    }
}

import CLibFFI

/// One prepared `ffi_cif` for one function, reused by every call. The description and its
/// argument types are allocated once and freed with this object; libffi only reads them
/// during `ffi_call`, so calls on several threads at once share it safely.
final class FFICallInterface: Sendable {
    /// The largest value a return or argument slot holds (`ffi_arg`, `double`, a pointer).
    static let slotSize = 16

    nonisolated(unsafe) private let cif: UnsafeMutablePointer<ffi_cif>
    nonisolated(unsafe) private let argumentTypes: UnsafeMutablePointer<UnsafeMutablePointer<ffi_type>?>
    nonisolated(unsafe) private let function: @convention(c) () -> Void
    /// How many arguments the function takes.
    let argumentCount: Int

    /// Prepares the call interface of `address`.
    /// - Throws: ``FFISkillError`` with code `prepareFailed` when libffi refuses it.
    init(address: UnsafeMutableRawPointer, prototype: FFIPrototype) throws(FFISkillError) {
        argumentCount = prototype.parameters.count
        argumentTypes = .allocate(capacity: max(1, argumentCount))
        for (index, parameter) in prototype.parameters.enumerated() {
            argumentTypes[index] = Self.ffiType(parameter.type)
        }
        cif = .allocate(capacity: 1)
        function = unsafeBitCast(address, to: (@convention(c) () -> Void).self)
        let status = ffi_prep_cif(
            cif, baton_ffi_default_abi(), UInt32(argumentCount), Self.ffiType(prototype.returnType), argumentTypes)
        guard status == FFI_OK else {
            cif.deallocate()
            argumentTypes.deallocate()
            throw FFISkillError(.prepareFailed, "libffi cannot prepare a call to '\(prototype)' (status \(status.rawValue))")
        }
    }

    deinit {
        cif.deallocate()
        argumentTypes.deallocate()
    }

    /// Calls the function with `arguments` (a pointer to each argument's value, in order),
    /// writing the return value into `result` (at least ``slotSize`` bytes, 16-aligned).
    /// Blocks for as long as the function runs.
    func call(arguments: UnsafeMutablePointer<UnsafeMutableRawPointer?>, result: UnsafeMutableRawPointer) {
        ffi_call(cif, function, result, arguments)
    }

    private static func ffiType(_ type: FFIPrototype.CType) -> UnsafeMutablePointer<ffi_type> {
        switch type {
        case .double: baton_ffi_type_double()
        case .float: baton_ffi_type_float()
        case .int: baton_ffi_type_int()
        case .bool: baton_ffi_type_bool()
        case .size: baton_ffi_type_size()
        case .text, .buffer: baton_ffi_type_pointer()
        case .void: baton_ffi_type_void()
        }
    }
}

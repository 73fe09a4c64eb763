extension SkillTemplates {
    /// `Package.swift`: a `.dynamic` library product and a C target holding the header.
    static func swiftManifest(name: String) -> String {
        """
        // swift-tools-version: 6.2
        import PackageDescription

        let package = Package(
            name: "\(name)",
            products: [
                .library(name: "\(name)", type: .dynamic, targets: ["\(name)"])
            ],
            targets: [
                .target(name: "CBatonSkill", path: "Sources/CBatonSkill"),
                .target(name: "\(name)", dependencies: ["CBatonSkill"]),
            ]
        )

        """
    }

    /// `Sources/NAME/NAME.swift`: the Swift responder.
    static func swiftSource(name: String) -> String {
        #"""
        // \#(name): a Baton responder that answers "Hello from \#(name): <text>".
        // Build: swift build  (.build/debug/lib\#(name).so)

        import CBatonSkill
        import Glibc

        /// The entry point, checked by the compiler against `baton/skill.h`. It must stay public.
        @c @implementation
        public func baton_skill_entry_v1(_ host: UnsafePointer<baton_host>?) -> UnsafePointer<baton_skill>? {
            guard let host, host.pointee.abi_major == UInt32(BATON_SKILL_ABI_MAJOR) else { return nil }
            return UnsafePointer(Descriptor.skill)
        }

        /// The descriptor and its strings, built once and never freed nor written.
        enum Descriptor {
            nonisolated(unsafe) static let name: UnsafeMutablePointer<CChar>? = strdup("\#(name)")
            nonisolated(unsafe) static let version: UnsafeMutablePointer<CChar>? = strdup("0.1.0")
            nonisolated(unsafe) static let summary: UnsafeMutablePointer<CChar>? = strdup("Answers Hello from \#(name).")

            nonisolated(unsafe) static let skill: UnsafeMutablePointer<baton_skill> = {
                let pointer = UnsafeMutablePointer<baton_skill>.allocate(capacity: 1)
                pointer.initialize(
                    to: baton_skill(
                        struct_size: UInt32(MemoryLayout<baton_skill>.size),
                        abi_major: UInt32(BATON_SKILL_ABI_MAJOR),
                        abi_minor: UInt32(BATON_SKILL_ABI_MINOR),
                        kind: UInt32(BATON_SKILL_KIND_RESPONDER),
                        capabilities: UInt64(BATON_SKILL_CAP_THREAD_SAFE),
                        name: UnsafePointer(name),
                        version: UnsafePointer(version),
                        description: UnsafePointer(summary),
                        create: { host, _, _ in
                            // The instance is the host table itself: nothing else to keep.
                            UnsafeMutableRawPointer(mutating: host)
                        },
                        destroy: { _ in },
                        respond: { instance, call, _ in Responder.respond(instance, call: call) },
                        detect: nil,
                        shutdown: nil
                    )
                )
                return pointer
            }()
        }

        /// The responder: reads `message.text` through the host and replies.
        enum Responder {
            static let prefix = "Hello from \#(name): "

            static func respond(_ instance: UnsafeMutableRawPointer?, call: OpaquePointer?) -> Int32 {
                guard let instance, let call else { return Int32(BATON_E_INVALID_ARGUMENT) }
                let host = instance.assumingMemoryBound(to: baton_host.self).pointee
                var text = baton_str(ptr: nil, len: 0)
                let status = "message.text".withCString { key in
                    host.input_field?(call, baton_str(ptr: key, len: strlen(key)), &text) ?? Int32(BATON_E_INTERNAL)
                }
                guard status == Int32(BATON_OK), let pointer = text.ptr, text.len > 0 else {
                    return host.no_answer?(call) ?? Int32(BATON_E_INTERNAL)
                }
                let message = String(decoding: UnsafeRawBufferPointer(start: pointer, count: text.len), as: UTF8.self)
                var reply = prefix + String(String.UnicodeScalarView(
                    message.unicodeScalars.prefix(Int(BATON_LIMIT_TEXT_CHARS) - prefix.unicodeScalars.count)))
                return reply.withUTF8 { bytes in
                    bytes.withMemoryRebound(to: CChar.self) { chars in
                        host.reply_text?(call, baton_str(ptr: chars.baseAddress, len: chars.count)) ?? Int32(BATON_E_INTERNAL)
                    }
                }
            }
        }

        """#
    }
}

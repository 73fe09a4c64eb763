import BatonCore
import BatonSkills
import BatonTestSupport
import Foundation
import NIOPosix
import Testing

/// `Tests/Fixtures/skills/plain_functions.c`, compiled once per test run.
enum PlainFunctions {
    static let library: Result<String, any Error> = Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-ffi-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let library = folder + "/libplain_functions.so"
        try compileC(TestPaths.skillFixtures.appendingPathComponent("plain_functions.c").path, to: library, flags: ["-pthread"])
        return library
    }

    /// Binds `prototype` from the fixture library.
    static func bind(_ prototype: String, _ kind: SkillKind, name: String? = nil) throws -> FFISkill {
        try FFISkill.bind(
            library: library.get(), function: prototype, kind: kind, name: name, threadPool: .singleton, logger: testLogger())
    }

    static func input(_ text: String?) -> SkillInput {
        SkillInput(
            message: .init(mid: "m_1", timestamp: 1_730_462_400_000, text: text),
            conversation: .init(pageID: "109876543210987", psid: "5012345678901234"))
    }
}

/// Plain C functions bound as skills through libffi: one per supported form, called through
/// the thread pool; bad prototypes refused with exact messages; results validated.
@Suite("Plain C functions through libffi")
struct FFISkillTests {
    struct Detection: Sendable, CustomTestStringConvertible {
        var prototype: String
        var text: String
        var score: Double
        var testDescription: String { "\(prototype) on \"\(text)\"" }
    }

    static let detections: [Detection] = [
        .init(prototype: "double refund_score(const char *text, size_t length)", text: "I want a refund", score: 0.9),
        .init(prototype: "double refund_score(const char *text, size_t length)", text: "hello 👋🏽", score: 0.1),
        .init(prototype: "float refund_score_f(size_t length, const char *text)", text: "refund please", score: 0.75),
        .init(prototype: "float refund_score_f(size_t, const char *)", text: "hello", score: 0.25),
        .init(prototype: "int wants_human(const char *text)", text: "a human, please", score: 1),
        .init(prototype: "int wants_human(const char *text);", text: "hello", score: 0),
        .init(prototype: "bool shouting(const char *text, size_t length)", text: "where is it!!!", score: 1),
        .init(prototype: "_Bool shouting(char const *text, size_t length)", text: "where is it?", score: 0),
    ]

    @Test("each detector form scores through the thread pool", arguments: detections)
    func detectorForms(_ detection: Detection) async throws {
        let skill = try PlainFunctions.bind(detection.prototype, .detector)
        let score = try await skill.detect(PlainFunctions.input(detection.text))
        #expect(score == SkillScore(score: detection.score))
        #expect(skill.kind == .detector)
    }

    @Test func theResponderWritesItsReplyOrNone() async throws {
        let skill = try PlainFunctions.bind(
            "int refund_reply(const char *text, size_t length, char *out, size_t out_capacity)", .responder, name: "refunds")
        #expect(skill.name == "refunds")
        #expect(try await skill.respond(PlainFunctions.input("a refund?")) == .text("Refunds take 5 days (9 bytes read)."))
        #expect(try await skill.respond(PlainFunctions.input("hello")) == nil)
        // A message without text reaches the function as "" (length 0).
        #expect(try await skill.respond(PlainFunctions.input(nil)) == nil)
    }

    @Test func aReplyOf2000CharactersIsTheLongestTaken() async throws {
        let skill = try PlainFunctions.bind("int reply_longest(const char *text, size_t length, char *out, size_t out_capacity)", .responder)
        #expect(try await skill.respond(PlainFunctions.input("hello")) == .text(String(repeating: "é", count: 2000)))
    }

    @Test func textArrivesAsNulTerminatedUTF8AndComesBackIntact() async throws {
        let skill = try PlainFunctions.bind("int echo_reply(const char *text, char *out, size_t out_capacity)", .responder)
        #expect(skill.name == "echo_reply")
        for text in ["héllo wörld", "👋🏽 hi 🤖‍🔥", "مرحبا שלום", "e\u{301}le\u{300}ve"] {
            #expect(try await skill.respond(PlainFunctions.input(text)) == .text(text))
        }
    }

    @Test func callsRunOnAThreadOfThePoolNeverTheCallers() async throws {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let skill = try FFISkill.bind(
            library: PlainFunctions.library.get(), function: "int thread_reply(const char *text, size_t length, char *out, size_t out_capacity)",
            kind: .responder, threadPool: pool, logger: testLogger())
        let name = try #require(try await skill.respond(PlainFunctions.input("which thread?"))?.text)
        #expect(name == "TP-#0", "ran on \(name)")
        try await pool.shutdownGracefully()
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var prototype: String
        var kind: SkillKind
        var message: String
        var code: FFISkillError.Code
        var testDescription: String { prototype }
    }

    static let refusals: [Refusal] = [
        .init(
            prototype: "double refund_score(long double x)", kind: .detector, message: "unknown type 'long double' in parameter 1",
            code: .unknownType),
        .init(
            prototype: "double refund_score(const char *text, uint32_t length)", kind: .detector,
            message: "unknown type 'uint32_t' in parameter 2", code: .unknownType),
        .init(
            prototype: "double refund_score(const char **text)", kind: .detector, message: "unknown type 'const char **' in parameter 1",
            code: .unknownType),
        .init(prototype: "long double refund_score(const char *text)", kind: .detector, message: "unknown return type 'long double'", code: .unknownType),
        .init(
            prototype: "double refund_score(const char *text, size_t length, size_t extra)", kind: .detector,
            message: "a detector takes 1 or 2 parameters (const char *text, size_t length), got 3", code: .wrongArity),
        .init(
            prototype: "double refund_score(void)", kind: .detector,
            message: "a detector takes 1 or 2 parameters (const char *text, size_t length), got 0", code: .wrongArity),
        .init(
            prototype: "int refund_reply(const char *text, size_t length, size_t x, char *out, size_t out_capacity)", kind: .responder,
            message: "a responder takes 3 or 4 parameters (const char *text, size_t length, char *out, size_t out_capacity), got 5",
            code: .wrongArity),
        .init(
            prototype: "double refund_score(const char *text, char *out)", kind: .detector,
            message: "parameter 2 is 'char *': a detector's inputs are const char * (the text) and size_t (its length)", code: .wrongShape),
        .init(
            prototype: "double refund_score(size_t length, size_t again)", kind: .detector,
            message: "parameter 2 repeats 'size_t': a detector takes the text and its length once each", code: .wrongShape),
        .init(
            prototype: "double refund_score(size_t length)", kind: .detector,
            message: "a detector needs the message text: add a const char * parameter", code: .wrongShape),
        .init(
            prototype: "int refund_reply(const char *text, size_t length)", kind: .responder,
            message:
                "a responder needs the out buffer pair (char *out, size_t out_capacity) as its last two parameters: (const char *text, size_t length, char *out, size_t out_capacity)",
            code: .missingOutBuffer),
        .init(
            prototype: "double refund_reply(const char *text, size_t length, char *out, size_t out_capacity)", kind: .responder,
            message:
                "return type 'double' does not fit a responder: return int (the reply's length in bytes, 0 for no answer, negative for an error)",
            code: .wrongReturnType),
        .init(
            prototype: "void refund_score(const char *text)", kind: .detector,
            message: "return type 'void' does not fit a detector: return double or float (a score in [0, 1]), int or bool (non-zero means 1)",
            code: .wrongReturnType),
        .init(
            prototype: "size_t refund_score(const char *text)", kind: .detector,
            message: "return type 'size_t' does not fit a detector: return double or float (a score in [0, 1]), int or bool (non-zero means 1)",
            code: .wrongReturnType),
        .init(
            prototype: "refund_score", kind: .detector,
            message: "cannot parse 'refund_score': expected 'TYPE NAME(PARAMETERS)', e.g. 'double score(const char *text, size_t length)'",
            code: .unparsable),
        .init(
            prototype: "double (const char *text)", kind: .detector,
            message: "cannot parse 'double (const char *text)': expected 'TYPE NAME(PARAMETERS)', e.g. 'double score(const char *text, size_t length)'",
            code: .unparsable),
        .init(
            prototype: "double refund_score(const char *text,)", kind: .detector,
            message: "cannot parse 'double refund_score(const char *text,)': parameter 2 is empty", code: .unparsable),
        .init(
            prototype: "double refund_score(const char text[])", kind: .detector,
            message: "cannot parse 'double refund_score(const char text[])': unexpected character '['", code: .unparsable),
        .init(
            prototype: "int refund_score(const char *format, ...)", kind: .detector,
            message: "cannot parse 'int refund_score(const char *format, ...)': variadic functions are not supported", code: .unparsable),
    ]

    @Test("a bad prototype is refused with its exact message", arguments: refusals)
    func badPrototypes(_ refusal: Refusal) {
        let error = #expect(throws: FFISkillError.self) { try PlainFunctions.bind(refusal.prototype, refusal.kind) }
        #expect(error?.message == refusal.message)
        #expect(error?.description == refusal.message)
        #expect(error?.code == refusal.code)
    }

    @Test func aMissingSymbolOrLibraryIsNamed() throws {
        let library = try PlainFunctions.library.get()
        let missing = #expect(throws: FFISkillError.self) {
            try PlainFunctions.bind("double refund_scor(const char *text, size_t length)", .detector)
        }
        #expect(missing?.message == "symbol 'refund_scor' not found in \(library)")
        #expect(missing?.code == .missingSymbol)
        let nowhere = library + ".gone"
        let absent = #expect(throws: FFISkillError.self) {
            try FFISkill.bind(
                library: nowhere, function: "double refund_score(const char *text)", kind: .detector, threadPool: .singleton, logger: testLogger())
        }
        #expect(absent?.message == "cannot open \(nowhere): file not found")
        #expect(absent?.code == .notALibrary)
    }

    @Test func prototypesParseToTheirCanonicalSpelling() throws {
        let cases = [
            ("double refund_score(const char *text, size_t length)", "double refund_score(const char *text, size_t length)"),
            ("  double   refund_score ( const char*text , size_t length ) ; ", "double refund_score(const char *text, size_t length)"),
            ("int f(char const * restrict t, char *out, size_t cap)", "int f(const char *t, char *out, size_t cap)"),
            ("bool f(const char *)", "bool f(const char *)"),
            ("int32_t f(const char *)", "int f(const char *)"),
            ("double f(void)", "double f(void)"),
        ]
        for (text, canonical) in cases {
            #expect(try FFIPrototype(parsing: text).description == canonical)
        }
        let responder = try FFIPrototype(parsing: "int r(const char *text, size_t length, char *out, size_t out_capacity)")
        #expect(responder.inferredKind == .responder)
        #expect(try FFIPrototype(parsing: "double s(const char *text)").inferredKind == .detector)
    }

    struct BrokenCall: Sendable, CustomTestStringConvertible {
        var prototype: String
        var kind: SkillKind
        var expected: String
        var code: SkillCallError.Code
        var testDescription: String { prototype }
    }

    static let brokenCalls: [BrokenCall] = [
        .init(
            prototype: "double score_too_high(const char *text)", kind: .detector,
            expected: "skill score_too_high: detect failed (-1): score 1.5 is outside [0, 1]", code: .invalidOutput),
        .init(
            prototype: "double score_nan(const char *text)", kind: .detector,
            expected: "skill score_nan: detect failed (-1): score nan is outside [0, 1]", code: .invalidOutput),
        .init(
            prototype: "float score_negative(const char *text)", kind: .detector,
            expected: "skill score_negative: detect failed (-1): score -0.5 is outside [0, 1]", code: .invalidOutput),
        .init(
            prototype: "int reply_past_capacity(const char *text, size_t length, char *out, size_t out_capacity)", kind: .responder,
            expected:
                "skill reply_past_capacity: respond failed (-3): the function returned a length of 8001 bytes, more than the buffer's capacity of 8000",
            code: .invalidOutput),
        .init(
            prototype: "int reply_bad_utf8(const char *text, size_t length, char *out, size_t out_capacity)", kind: .responder,
            expected: "skill reply_bad_utf8: respond failed (-2): reply is not valid UTF-8", code: .invalidOutput),
        .init(
            prototype: "int reply_too_long(const char *text, size_t length, char *out, size_t out_capacity)", kind: .responder,
            expected: "skill reply_too_long: respond failed (-3): reply text is longer than 2000 characters", code: .invalidOutput),
        .init(
            prototype: "int reply_fails(const char *text, size_t length, char *out, size_t out_capacity)", kind: .responder,
            expected: "skill reply_fails: respond failed (-7): the function returned -7", code: .skillFailed),
    ]

    @Test("a result outside the rules is a call error", arguments: brokenCalls)
    func brokenResults(_ broken: BrokenCall) async throws {
        let skill = try PlainFunctions.bind(broken.prototype, broken.kind)
        let input = PlainFunctions.input("hello")
        let error = await #expect(throws: SkillCallError.self) {
            if broken.kind == .detector { _ = try await skill.detect(input) } else { _ = try await skill.respond(input) }
        }
        #expect(error?.description == broken.expected)
        #expect(error?.code == broken.code)
    }

    @Test func aDestroyedFunctionAndTheWrongOperationAreRefused() async throws {
        let skill = try PlainFunctions.bind("double refund_score(const char *text, size_t length)", .detector)
        let wrong = await #expect(throws: SkillCallError.self) { _ = try await skill.respond(PlainFunctions.input("refund")) }
        #expect(wrong?.description == "skill refund_score: respond failed (-5): the skill is not a responder")
        #expect(skill.destroy(waitingAtMost: .seconds(1)))
        let destroyed = await #expect(throws: SkillCallError.self) { _ = try await skill.detect(PlainFunctions.input("refund")) }
        #expect(destroyed?.description == "skill refund_score: detect failed (-4): the skill was destroyed")
        #expect(destroyed?.code == .unavailable)
    }

    @Test func oneCallInterfaceServesManyConcurrentCalls() async throws {
        let skill = try PlainFunctions.bind("double refund_score(const char *text, size_t length)", .detector)
        let scores = try await withThrowingTaskGroup(of: Double.self) { group in
            for index in 0..<64 {
                group.addTask { try await skill.detect(PlainFunctions.input(index.isMultiple(of: 2) ? "refund \(index)" : "hi \(index)")).score }
            }
            return try await group.reduce(into: [Double]()) { $0.append($1) }
        }
        #expect(scores.filter { $0 == 0.9 }.count == 32)
        #expect(scores.filter { $0 == 0.1 }.count == 32)
    }
}

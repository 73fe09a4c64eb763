import BatonCore
import BatonSkills
import BatonTestSupport
import Foundation
import Testing

/// Calls on one instance are serialised unless the skill declares itself thread-safe.
@Suite("Skill loader concurrency")
struct LoaderConcurrencyTests {
    /// Fires `count` concurrent respond calls and returns their replies or errors.
    private static func burst(_ instance: SkillInstance, count: Int) async -> [Result<String, SkillCallError>] {
        await withTaskGroup(of: Result<String, SkillCallError>.self) { group in
            for index in 0..<count {
                group.addTask {
                    do throws(SkillCallError) {
                        let reply = try await instance.respond(LoaderInputs.text("go", mid: "m_\(index)"))
                        guard case .text(let text)? = reply?.body else { return .success("<no text>") }
                        return .success(text)
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var results: [Result<String, SkillCallError>] = []
            for await result in group { results.append(result) }
            return results
        }
    }

    @Test("concurrent respond calls on a non-thread-safe instance never overlap")
    func serialisedWhenNotThreadSafe() async throws {
        try await LoaderHarness.with(threads: 4) { harness in
            let skill = try harness.loader.load(path: try harness.bench.compile("overlap.c"))
            #expect(!skill.isThreadSafe)
            let instance = try skill.makeInstance()
            defer { instance.destroy() }
            let results = await Self.burst(instance, count: 24)
            #expect(results.count == 24)
            for result in results {
                #expect(try result.get() == "alone")
            }
        }
    }

    @Test("the overlap detector does see overlap when the skill declares itself thread-safe")
    func overlapsWhenThreadSafe() async throws {
        try await LoaderHarness.with(threads: 4) { harness in
            let skill = try harness.loader.load(path: try harness.bench.compile("overlap.c", flags: ["-DTHREAD_SAFE"]))
            #expect(skill.isThreadSafe)
            let instance = try skill.makeInstance()
            defer { instance.destroy() }
            // Overlap is a matter of scheduling: retry a bounded number of bursts.
            var sawOverlap = false
            for _ in 0..<20 where !sawOverlap {
                let results = await Self.burst(instance, count: 24)
                sawOverlap = results.contains { result in
                    if case .failure(let error) = result {
                        return error.description == "skill overlap: respond failed (-7): overlap detected"
                    }
                    return false
                }
            }
            #expect(sawOverlap)
        }
    }

    @Test("destroy waits for calls in flight and refuses later ones")
    func destroyWaitsForCalls() async throws {
        try await LoaderHarness.with(threads: 4) { harness in
            let instance = try harness.loader.load(path: try harness.bench.compile("overlap.c")).makeInstance()
            async let results = Self.burst(instance, count: 8)
            instance.destroy()
            for result in await results {
                switch result {
                case .success(let text):
                    #expect(text == "alone")
                case .failure(let error):
                    #expect(error.description == "skill overlap: respond failed (-4): the instance was destroyed")
                }
            }
        }
    }
}

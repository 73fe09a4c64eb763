import BatonSkills
import Foundation

extension LibraryCopies {
    /// `entry` changed to load from a content-addressed copy of its library, `content` as read:
    /// what a reload loads, and what worker processes load at start-up, so that a worker started
    /// again after a crash runs the version that was checked, whatever happened to the configured
    /// file meanwhile. The configured file must pass the loader's file checks first: a group- or
    /// world-writable library stays refused, though its copy would not be.
    /// - Parameters:
    ///   - entry: the `skills:` entry (a library, or an `ffi:` function's library).
    ///   - content: the library's bytes as read.
    /// - Returns: the entry pointing at the copy, and the copy's path.
    /// - Throws: a one-line reason.
    func pin(_ entry: BatonConfiguration.Skill, content: LibraryContent) throws(LibraryReadFailure) -> (
        entry: BatonConfiguration.Skill, copy: String
    ) {
        do throws(SkillLoadError) { try SkillLoader.checkFile(path: entry.libraryPath) } catch {
            throw LibraryReadFailure(message: error.description)
        }
        let copy = try store(content, fileExtension: URL(fileURLWithPath: entry.libraryPath).pathExtension)
        var pinned = entry
        if var function = entry.ffi {
            function.library = copy
            pinned.ffi = function
        } else {
            pinned.path = copy
        }
        return (pinned, copy)
    }
}

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Finds a plain function in a shared library: the file passes the loader's checks, is
/// `dlopen`ed with `RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE` on the control thread and is never
/// `dlclose`d (as for ABI skills: unloading can crash the host).
enum FFILibrary {
    /// The address of `symbol` in the library at `path`.
    /// - Parameters:
    ///   - symbol: the function's name.
    ///   - path: the library, as the configuration or command line gives it (messages show it so).
    /// - Throws: ``FFISkillError``: `cannot open PATH: …` or `symbol 'NAME' not found in PATH`.
    static func function(_ symbol: String, in path: String) throws(FFISkillError) -> UnsafeMutableRawPointer {
        do { try LibraryFile.check(path: path) } catch {
            throw FFISkillError(.notALibrary, "cannot open \(path): \(error.message)")
        }
        return try ControlThread.run { () throws(FFISkillError) -> UnsafeMutableRawPointer in
            _ = dlerror()
            // A name without "/" would make dlopen search the library path instead of the file checked.
            let openPath = path.contains("/") ? path : "./" + path
            guard let handle = dlopen(openPath, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) else {
                throw FFISkillError(.notALibrary, "cannot open \(path): \(lastError())")
            }
            _ = dlerror()
            guard let address = dlsym(handle, symbol) else {
                throw FFISkillError(.missingSymbol, "symbol '\(symbol)' not found in \(path)")
            }
            return address
        }
    }

    private static func lastError() -> String {
        guard let message = dlerror() else { return "unknown error" }
        return String(cString: message)
    }
}

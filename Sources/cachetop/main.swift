// The dashboard is not built yet: this executable says so instead of showing anything fake.
#if canImport(Glibc)
import Glibc
#endif

let message = """
cachetop: the terminal dashboard is not built yet.
The cache engine (CacheEngine) and its benchmark (swift run -c release cache-bench) are available.

"""
_ = message.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
exit(2)

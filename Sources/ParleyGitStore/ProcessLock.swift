import Foundation
import ParleyCore

/// An exclusive `flock` on a file in the Git directory that serializes
/// Parley writers across processes on one clone (a CLI call and the
/// server), so their index and work tree updates never interleave.
struct ProcessLock {
    private let descriptor: Int32

    init(path: String) throws(ParleyError) {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .storage("cannot open lock file \(path): \(String(cString: strerror(errno)))")
        }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw .storage("cannot lock \(path): \(reason)")
            }
        }
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

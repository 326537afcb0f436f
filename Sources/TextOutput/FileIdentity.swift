#if canImport(Glibc)
import Glibc
#endif

/// A regular file's (device, inode), to tell whether two paths are one file; nil when nothing is
/// there or it is not a regular file (a pipe, a device).
public enum FileIdentity {
    public static func of(_ path: String) -> (device: UInt64, inode: UInt64)? {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return (UInt64(st.st_dev), UInt64(st.st_ino))
    }
}

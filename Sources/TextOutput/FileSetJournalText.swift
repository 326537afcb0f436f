#if canImport(Glibc)
import Glibc
#endif

/// Reading and writing the journal's text. A journal is only ever written by a file set, but it
/// sits in the user's folder: anything else in it is refused, never acted on.
extension FileSetJournal {
    /// Large enough for thousands of outputs; a larger file is not a journal.
    static let maximumSize = 1 << 20

    /// A name with `%XX` for bytes below 0x20, 0x7F and `%`, so a line holds one name.
    static func escaped(_ name: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for c in name.utf8 {
            if c < 0x20 || c == 0x7F || c == 0x25 {
                out += [0x25, hex[Int(c >> 4)], hex[Int(c & 15)]]
            } else {
                out.append(c)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func unescaped(_ text: Substring) -> String? {
        var out: [UInt8] = []
        var bytes = text.utf8.makeIterator()
        func digit(_ c: UInt8?) -> UInt8? {
            switch c {
            case let c? where c >= 48 && c <= 57: return c - 48
            case let c? where c >= 65 && c <= 70: return c - 55
            default: return nil
            }
        }
        while let c = bytes.next() {
            guard c == 0x25 else { out.append(c); continue }
            guard let high = digit(bytes.next()), let low = digit(bytes.next()) else { return nil }
            out.append(high << 4 | low)
        }
        return String(validating: out, as: UTF8.self)
    }

    /// The journal's entries, or nil when there is none.
    static func read(in folder: String) throws(OutputError) -> [Entry]? {
        let path = FilePath.join(folder, fileName)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .cannotCreate(path: path, reason: "cannot read the journal of an interrupted commit (\(systemError()))")
        }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: maximumSize + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress.map { $0 + count }, $0.count - count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw .cannotCreate(path: path, reason: "cannot read the journal (\(systemError()))") }
            if n == 0 { break }
            count += n
        }
        guard count <= maximumSize else {
            throw refusal(path, line: nil, found: "more than \(maximumSize) bytes", expected: "a journal of a few lines")
        }
        return try parse(String(decoding: bytes[0..<count], as: UTF8.self), path: path)
    }

    static func parse(_ text: String, path: String) throws(OutputError) -> [Entry] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first == Substring(header) else {
            throw refusal(path, line: 1, found: String(lines.first?.prefix(60) ?? ""), expected: "'\(header)'")
        }
        guard lines.count >= 3, lines.last == "", lines[lines.count - 2] == "end" else {
            throw refusal(path, line: lines.count, found: "no 'end' line", expected: "a complete journal ending with 'end'")
        }
        lines = Array(lines[1..<(lines.count - 2)])
        var entries: [Entry] = []
        for (i, line) in lines.enumerated() {
            entries.append(try entry(line, number: i + 2, path: path))
        }
        return entries
    }

    private static func entry(_ line: Substring, number: Int, path: String) throws(OutputError) -> Entry {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count == 3 else {
            throw refusal(path, line: number, found: "\(fields.count) tab-separated fields", expected: "3 (old|new, staged name, final name)")
        }
        guard fields[0] == "old" || fields[0] == "new" else {
            throw refusal(path, line: number, found: "'\(fields[0].prefix(20))' in the first field", expected: "old or new")
        }
        let staged = String(fields[1])
        guard isTemporaryName(staged, prefix: OutputNames.stagedPrefix) else {
            throw refusal(path, line: number, found: "'\(staged.prefix(40))' as the staged name",
                          expected: "\(OutputNames.stagedPrefix) and 6 characters")
        }
        guard let name = unescaped(fields[2]), !name.isEmpty, !name.contains("/"), name != ".", name != "..",
              name != fileName, name != FolderLock.fileName,
              !name.hasPrefix(OutputNames.stagedPrefix), !name.hasPrefix(OutputNames.backupPrefix) else {
            throw refusal(path, line: number, found: "'\(fields[2].prefix(60))' as the final name",
                          expected: "a plain file name in the folder")
        }
        return Entry(name: name, staged: staged, hadOld: fields[0] == "old")
    }

    private static func refusal(_ path: String, line: Int?, found: String, expected: String) -> OutputError {
        .cannotCreate(path: path, reason: "\(line.map { "line \($0): " } ?? "")found \(found), expected \(expected); "
                      + "this is not a journal minusma wrote: check the folder and remove the file")
    }
}

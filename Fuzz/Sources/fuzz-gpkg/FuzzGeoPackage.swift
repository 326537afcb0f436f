#if canImport(Glibc)
import Glibc
#endif
import Gazetteer

// libFuzzer calls `LLVMFuzzerTestOneInput` with each input; a crash, a sanitizer report or an
// `abort()` below is a finding. The input is written to a file and read as a GeoPackage: SQLite
// checks the database's structure; what is ours is the layer choice, the column typing and the
// geometry blobs. The input's first byte chooses whether it is the whole file or only a geometry
// blob (decoded on its own, where most of our own parsing is).

func fail(_ message: String) -> Never {
    var text = "fuzz-gpkg: \(message)\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    abort()
}

func checkText(_ text: String?, _ what: String) {
    guard var text else { return }
    text.withUTF8 { bytes in
        if let bad = CSVRecordReader.forbiddenCharacter(in: bytes) {
            fail("a site's \(what) holds U+\(String(bad.scalar, radix: 16)) at byte \(bad.offset)")
        }
    }
}

let path: String = {
    var template = Array("/tmp/fuzz-gpkg-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    if fd < 0 { fail("cannot make a temporary file") }
    close(fd)
    return String(cString: template)
}()

func readPackage(_ bytes: ArraySlice<UInt8>) {
    guard let file = fopen(path, "w") else { fail("cannot write \(path)") }
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
    do {
        let records = try GeoPackageRecordSource(path: path, displayName: "<fuzz>", layer: nil)
        let reader = try GazetteerReader(records: records, options: ReadOptions(profile: .generic, skipInvalid: true))
        var count = 0
        while count < 10_000, let site = try reader.next() {
            count += 1
            for (value, what) in [(site.id, "id"), (site.name, "name"), (site.notes, "notes")] as [(String?, String)] { checkText(value, what) }
            for extra in site.extras { checkText(extra, "extra value") }
            if let p = site.position, !(p.longitude.isFinite && p.latitude.isFinite) { fail("a position that is not finite") }
        }
        try reader.finish()
    } catch {
        _ = error.description
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let mode = bytes.first else { return 0 }
    if mode & 1 == 0 {
        bytes.dropFirst().withUnsafeBytes { blob in
            if case .point(let x, let y) = GeoPackageGeometry.point(blob), !(x.isFinite && y.isFinite) { fail("a point that is not finite") }
        }
    } else {
        readPackage(bytes.dropFirst())
    }
    return 0
}

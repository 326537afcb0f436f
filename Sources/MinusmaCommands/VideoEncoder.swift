#if canImport(Glibc)
import Glibc
#endif
import Gazetteer
import TextOutput

/// `minusma map --video FILE`: the map of each day, rasterised by rsvg-convert exactly as `--png`
/// does, piped frame after frame (PNG) into ffmpeg, which encodes them into FILE. FILE is staged in
/// a FileSet: an interrupted or failed run leaves the previous video as it was.
struct VideoEncoder {
    enum Container: String, CaseIterable {
        case mp4, webm, gif

        /// The container FILE's extension asks for (case ignored); nil for any other.
        init?(path: String) {
            let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
            guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
            self.init(rawValue: name[name.index(after: dot)...].lowercased())
        }

        /// ffmpeg's output arguments: encoder, pixel format, muxer.
        var encoding: [String] {
            // yuv420p needs an even width and height: an odd page gets one more white row.
            let even = "pad=ceil(iw/2)*2:ceil(ih/2)*2:0:0:color=white,format=yuv420p"
            switch self {
            case .mp4:
                return ["-vf", even, "-c:v", "libx264", "-preset", "medium", "-tune", "stillimage", "-crf", "18",
                        "-movflags", "+faststart", "-f", "mp4"]
            case .webm:
                return ["-vf", even, "-c:v", "libvpx-vp9", "-crf", "30", "-b:v", "0", "-deadline", "good", "-cpu-used", "4",
                        "-row-mt", "0", "-f", "webm"]
            case .gif:
                // A palette per frame: one for the whole video would hold every frame in memory.
                return ["-filter_complex", "[0:v]split[a][b];[a]palettegen=stats_mode=single[p];[b][p]paletteuse=new=1:dither=none",
                        "-loop", "0", "-f", "gif"]
            }
        }
    }

    /// Frames a second, as the fraction ffmpeg's -framerate takes.
    struct FrameRate: Equatable {
        let frames: Int
        let seconds: Int

        var perSecond: Double { Double(frames) / Double(seconds) }
        var argument: String { "\(frames)/\(seconds)" }
    }

    static let fpsRange = 1...60
    /// The slowest rate --duration may give: ten seconds a frame.
    static let slowestDerivedRate = 0.1
    static let longestDuration = 3600.0

    let path: String
    let container: Container
    let rate: FrameRate

    /// The frame rate from --fps and --duration for `frames` frames: either as given, the other
    /// derived, or both checked against each other; `defaultFPS` when neither is given.
    static func frameRate(frames: Int, fps: Int?, duration: Double?, defaultFPS: Int, describing span: String) throws -> FrameRate {
        switch (fps, duration) {
        case let (fps?, duration?):
            let lasts = Double(frames) / Double(fps)
            guard abs(Double(frames) - duration * Double(fps)) < 0.5 else {
                throw CommandFailure(.usage, "--fps \(fps) and --duration \(decimal(duration)) disagree: the video has \(frames) frames (\(span)), "
                                     + "which last \(decimal(lasts)) s at \(fps) frames a second; give only one of the two")
            }
            return FrameRate(frames: fps, seconds: 1)
        case let (nil, duration?):
            let milliseconds = max(1, Int((duration * 1000).rounded()))
            let divisor = gcd(frames * 1000, milliseconds)
            let rate = FrameRate(frames: frames * 1000 / divisor, seconds: milliseconds / divisor)
            guard rate.perSecond <= Double(fpsRange.upperBound), rate.perSecond >= slowestDerivedRate else {
                throw CommandFailure(.usage, "--duration \(decimal(duration)): \(frames) frames (\(span)) in that time is \(decimal(rate.perSecond)) "
                                     + "frames a second; expected \(slowestDerivedRate) to \(fpsRange.upperBound) (use a longer --duration or another --step)")
            }
            return rate
        case let (fps, nil):
            return FrameRate(frames: fps ?? defaultFPS, seconds: 1)
        }
    }

    /// A number with at most two decimals and no trailing zeros ("4.25", "12").
    static func decimal(_ value: Double) -> String {
        var text = Formatting.fixed(value, decimals: 2)
        while text.contains("."), text.last == "0" { text.removeLast() }
        if text.last == "." { text.removeLast() }
        return text
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? max(a, 1) : gcd(b, a % b) }

    /// An error (status 69) naming the Debian package of the first tool missing from PATH.
    static func requireTools() throws {
        for (tool, package) in [("ffmpeg", "ffmpeg"), ("rsvg-convert", "librsvg2-bin")] where !ChildProcess.isInstalled(tool) {
            throw CommandFailure(.unavailable, "--video needs \(tool), which is not installed (Debian: apt-get install \(package))")
        }
    }

    /// ffmpeg's command line: PNG frames on standard input, FILE's temporary name as output, and
    /// the options that keep the bytes the same from run to run (no encoder version or creation
    /// time in the file, a fixed number of encoder threads).
    func arguments(output: String) -> [String] {
        ["-hide_banner", "-nostats", "-loglevel", "error",
         "-f", "image2pipe", "-c:v", "png", "-framerate", rate.argument, "-i", "pipe:0",
         "-an", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1", "-threads", "2"]
            + container.encoding + ["-y", output]
    }

    /// Renders each day with `render`, encodes the frames and puts FILE in place.
    func encode(days: [CalendarDate], render: (CalendarDate) -> String) throws {
        try Self.requireTools()
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { path[..<$0].isEmpty ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let files: FileSet, target: String
        do {
            files = try FileSet(directory: folder)
            target = try files.temporaryPath(for: name)
        } catch { throw CommandFailure.from(error) }
        let log = try ScratchFile(label: "ffmpeg-log")
        let pipe = try FramePipe()
        guard let ffmpeg = ChildProcess.start("ffmpeg", arguments(output: target),
                                               streams: .init(input: pipe.readEnd, error: log.fd, discardOutput: true)) else {
            throw CommandFailure(.unavailable, "--video: ffmpeg cannot be started (Debian: apt-get install ffmpeg)")
        }
        pipe.closeReadEnd()
        do {
            try sendFrames(days: days, render: render, to: pipe, ffmpeg: ffmpeg, log: log)
        } catch let ended as EncoderEnded {
            files.abandon()
            throw ended.failure
        } catch {
            // ffmpeg is ended before its output is removed, so it cannot make the file again.
            ChildProcess.end(ffmpeg)
            files.abandon()
            throw error
        }
        pipe.closeWriteEnd()
        let status = ChildProcess.wait(ffmpeg)
        guard status == 0 else {
            files.abandon()
            throw failure(status: status, log: log)
        }
        do { try files.commit() } catch { throw CommandFailure.from(error) }
    }

    /// One PNG per day into the pipe, each written by rsvg-convert straight into it.
    private func sendFrames(days: [CalendarDate], render: (CalendarDate) -> String, to pipe: FramePipe, ffmpeg: pid_t,
                            log: ScratchFile) throws {
        let svg = try ScratchFile(label: "frame")
        // The progress line is cleared however the loop ends, so an error starts its own line.
        defer { if Console.stderrIsTerminal { Console.errorInline("\r\u{1B}[K") } }
        for (i, day) in days.enumerated() {
            if Console.stderrIsTerminal { Console.errorInline("\rframe \(i + 1) of \(days.count)") }
            try svg.replaceContents(render(day))
            let rasterised = ChildProcess.start("rsvg-convert", ["--format", "png", "--background-color", "white", svg.path],
                                                streams: .init(output: pipe.writeEnd)).map(ChildProcess.wait)
            guard rasterised == 0 else {
                // rsvg-convert fails when ffmpeg has stopped reading: ffmpeg's error is the one to tell.
                if let status = ChildProcess.poll(ffmpeg, milliseconds: 2000) { throw EncoderEnded(failure: failure(status: status, log: log)) }
                throw CommandFailure(.failure, "--video: rsvg-convert failed (status \(rasterised.map(String.init) ?? "not started")) on the map of \(day)")
            }
        }
    }

    /// ffmpeg stopped on its own (and has been waited for) while frames were being sent.
    private struct EncoderEnded: Error {
        let failure: CommandFailure
    }

    /// ffmpeg's failure, with the last lines it wrote on stderr; an encoder this ffmpeg lacks is
    /// a missing tool (69).
    private func failure(status: Int32, log: ScratchFile) -> CommandFailure {
        let lines = log.contents().split(separator: "\n").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }.suffix(5)
        let said = lines.isEmpty ? "" : ": " + lines.joined(separator: " / ")
        let missingEncoder = lines.contains { $0.contains("Unknown encoder") || $0.contains("Encoder not found") }
        return CommandFailure(missingEncoder ? .unavailable : .ioError,
                              "ffmpeg failed (status \(status)) writing \(path)\(said); the previous \(path), if any, is unchanged")
    }
}

/// A file under the temporary folder for one run (removed on exit or interrupt).
final class ScratchFile {
    let fd: Int32
    let path: String

    init(label: String) throws {
        let folder = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        guard let (fd, path) = TemporaryFile.make(in: folder, prefix: "minusma-\(label)-") else {
            throw CommandFailure(.cannotCreate, "cannot make a temporary file in \(folder): \(String(cString: strerror(errno)))")
        }
        self.fd = fd
        self.path = path
        Interruption.register(path)
    }

    deinit {
        close(fd)
        unlink(path)
        Interruption.unregister(path)
    }

    /// Replaces the file's bytes with `text`.
    func replaceContents(_ text: String) throws {
        var text = text
        let failure: Int32 = text.withUTF8 { bytes in
            guard ftruncate(fd, 0) == 0 else { return errno }
            return writeFully(fd, UnsafeRawBufferPointer(bytes), at: 0)
        }
        if failure != 0 { throw CommandFailure(.ioError, "cannot write the temporary file \(path): \(String(cString: strerror(failure)))") }
    }

    /// What the file holds (what ffmpeg wrote on stderr), as text.
    func contents() -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        var offset: off_t = 0
        while true {
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            bytes += chunk[..<n]
            offset += off_t(n)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The pipe that carries the PNG frames to ffmpeg; both ends close-on-exec, so that only the
/// child each end is handed to holds it (ffmpeg must see the end of its input).
final class FramePipe {
    private(set) var readEnd: Int32 = -1
    private(set) var writeEnd: Int32 = -1

    init() throws {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw CommandFailure(.failure, "--video: cannot make a pipe to ffmpeg: \(String(cString: strerror(errno)))")
        }
        readEnd = ends[0]
        writeEnd = ends[1]
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
    }

    deinit {
        closeReadEnd()
        closeWriteEnd()
    }

    func closeReadEnd() {
        if readEnd >= 0 { close(readEnd) }
        readEnd = -1
    }

    func closeWriteEnd() {
        if writeEnd >= 0 { close(writeEnd) }
        writeEnd = -1
    }
}

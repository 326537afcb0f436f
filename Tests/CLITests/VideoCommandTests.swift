import Foundation
import Testing
import TestSupport

/// `minusma map --video`: ffprobe and ffmpeg, not our code, read the videos back; extracted
/// frames are compared pixel by pixel with the `--as-of` PNGs of their days.
@Suite(.serialized) struct VideoCommandTests {
    /// A folder removed when the test ends.
    final class Scratch {
        let path: String
        init() throws { path = try TestSupport.temporaryFolder("minusma-video-test") }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        func file(_ name: String) -> String { path + "/" + name }
    }

    /// ffmpeg and rsvg-convert, or a failure naming the Debian packages `make test` installs.
    static func requireTools() -> Bool {
        for (tool, package) in [("ffmpeg", "ffmpeg"), ("ffprobe", "ffmpeg"), ("rsvg-convert", "librsvg2-bin")] {
            if TestSupport.requireTool(tool) != nil {
                Issue.record("\(tool) is not installed (Debian package \(package); `make test` installs it)")
                return false
            }
        }
        return true
    }

    /// ffprobe's view of the first video stream: codec, size, frames counted by decoding, duration.
    static func probe(_ path: String) throws -> [String: String] {
        let r = try TestSupport.run("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0",
                                                "-show_entries", "stream=codec_name,width,height,pix_fmt,nb_read_frames:format=duration",
                                                "-of", "default=noprint_wrappers=1", path])
        #expect(r.status == 0, "ffprobe cannot read \(path): \(r.stderr)")
        var fields: [String: String] = [:]
        for line in r.stdout.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }

    /// An image decoded by ffmpeg to 8-bit RGB, row after row.
    static func rgb(_ image: String, in scratch: Scratch) throws -> Data {
        let raw = scratch.file("decoded-\(UUID().uuidString).rgb")
        let r = try TestSupport.run("ffmpeg", ["-v", "error", "-i", image, "-f", "rawvideo", "-pix_fmt", "rgb24", "-y", raw])
        #expect(r.status == 0, "ffmpeg cannot decode \(image): \(r.stderr)")
        return try TestSupport.bytes(raw)
    }

    /// The share of the reference's pixels that differ by more than `tolerance` in a channel.
    /// The frame may have one more (white) row than the reference: yuv420p needs even sizes.
    static func differingShare(_ frame: Data, _ reference: Data, width: Int, tolerance: Int = 24) -> Double {
        guard reference.count > 0, frame.count >= reference.count, frame.count - reference.count <= width * 3 else { return 1 }
        let a = [UInt8](frame.prefix(reference.count)), b = [UInt8](reference)
        var differing = 0
        for pixel in stride(from: 0, to: b.count - 2, by: 3) {
            let d = max(abs(Int(a[pixel]) - Int(b[pixel])), abs(Int(a[pixel + 1]) - Int(b[pixel + 1])), abs(Int(a[pixel + 2]) - Int(b[pixel + 2])))
            if d > tolerance { differing += 1 }
        }
        return Double(differing) / Double(b.count / 3)
    }

    /// 17 monthly frames at 4 a second: 4.25 s. Frames 0, 4 and 16 (1 July 2023, 1 November 2023,
    /// 1 November 2024) equal the `--as-of` PNGs of their days within 1 % of the pixels, and are
    /// clearly nearer to them than to the next month's map (so the comparison can fail). A second
    /// run gives the same bytes.
    @Test func mp4FramesAreTheAsOfMaps() throws {
        guard Self.requireTools() else { return }
        let scratch = try Scratch()
        let video = scratch.file("withdrawal.mp4")
        let r = try TestSupport.minusma(["map", "--out", scratch.path, "--video", video, "--step", "month", "--fps", "4"])
        #expect(r.status == 0, "\(r.stderr)")
        let info = try Self.probe(video)
        #expect(info["codec_name"] == "h264")
        #expect(info["pix_fmt"] == "yuv420p")
        #expect(info["nb_read_frames"] == "17")
        #expect(info["duration"].flatMap(Double.init).map { abs($0 - 4.25) < 0.01 } == true, "duration \(info["duration"] ?? "none")")
        let width = try #require(info["width"].flatMap(Int.init))
        #expect(width % 2 == 0 && (info["height"].flatMap(Int.init) ?? 1) % 2 == 0)

        for (index, day, next) in [(0, "2023-07-01", "2023-08-01"), (4, "2023-11-01", "2023-12-01"), (16, "2024-11-01", "2024-10-01")] {
            let frame = scratch.file("frame-\(index).png")
            let extracted = try TestSupport.run("ffmpeg", ["-v", "error", "-i", video, "-vf", "select=eq(n\\,\(index))", "-vframes", "1", "-y", frame])
            #expect(extracted.status == 0, "\(extracted.stderr)")
            for d in [day, next] {
                #expect(try TestSupport.minusma(["map", "--out", scratch.path, "--as-of", d, "--png"]).status == 0)
            }
            let pixels = try Self.rgb(frame, in: scratch)
            let same = Self.differingShare(pixels, try Self.rgb(scratch.file("minusma-withdrawal-\(day).png"), in: scratch), width: width)
            let other = Self.differingShare(pixels, try Self.rgb(scratch.file("minusma-withdrawal-\(next).png"), in: scratch), width: width)
            #expect(same <= 0.01, "frame \(index) differs from the map of \(day) in \(same * 100) % of its pixels")
            #expect(other > 3 * same, "frame \(index) is as near to the map of \(next) (\(other)) as to that of \(day) (\(same))")
        }

        let first = try TestSupport.bytes(video)
        #expect(try TestSupport.minusma(["map", "--out", scratch.path, "--video", video, "--step", "month", "--fps", "4"]).status == 0)
        #expect(try TestSupport.bytes(video) == first, "a second run must write the same bytes")
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasPrefix(".minusma") }
        #expect(left.isEmpty, "left behind: \(left)")
    }

    /// Output/minusma-withdrawal.mp4 (`make export`: `--step week --fps 4`) is the video of
    /// today's maps: a frame per week, a quarter of a second each, and its last frame is the
    /// `--as-of` map of its day (within 0.3 % of the pixels, tighter than the issue's 1 %, so
    /// that a video left stale by a change to the map is caught).
    @Test func committedVideoIsTheWeeklyMap() throws {
        guard Self.requireTools() else { return }
        let committed = TestSupport.path("Output/minusma-withdrawal.mp4")
        guard FileManager.default.fileExists(atPath: committed) else {
            Issue.record("Output/minusma-withdrawal.mp4 is missing: run `make export` with ffmpeg installed")
            return
        }
        let scratch = try Scratch()
        #expect(try TestSupport.minusma(["map", "--out", scratch.path, "--frames", scratch.path, "--step", "week"]).status == 0)
        let weeks = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasPrefix("frame-") }.sorted()
        let info = try Self.probe(committed)
        #expect(info["nb_read_frames"] == String(weeks.count))
        #expect(info["duration"].flatMap(Double.init).map { abs($0 - Double(weeks.count) / 4) < 0.01 } == true)
        let last = try #require(weeks.last?.dropFirst("frame-".count).prefix(10))
        let frame = scratch.file("last.png")
        let extracted = try TestSupport.run("ffmpeg", ["-v", "error", "-i", committed, "-vf", "select=eq(n\\,\(weeks.count - 1))", "-vframes", "1", "-y", frame])
        #expect(extracted.status == 0, "\(extracted.stderr)")
        #expect(try TestSupport.minusma(["map", "--out", scratch.path, "--as-of", String(last), "--png"]).status == 0)
        let width = info["width"].flatMap(Int.init) ?? 0
        let share = Self.differingShare(try Self.rgb(frame, in: scratch), try Self.rgb(scratch.file("minusma-withdrawal-\(last).png"), in: scratch), width: width)
        // A fresh encoding is off in 0.07 % of the pixels (the previous week's map in 0.15 %); a
        // video left from before a change to the drawing is off in more. The frame count above
        // catches a change of dates.
        #expect(share <= 0.003, "the committed video's last frame differs from the map of \(last) in \(share * 100) % of its pixels: run `make export`")
    }

    /// WebM (VP9) and GIF, paced by --duration: ffprobe reads both, with every frame.
    @Test func webmAndGifFromDuration() throws {
        guard Self.requireTools() else { return }
        let scratch = try Scratch()
        for (name, codec) in [("w.webm", "vp9"), ("w.GIF", "gif")] {
            let video = scratch.file(name)
            let r = try TestSupport.minusma(["map", "--out", scratch.path, "--video", video, "--step", "month", "--duration", "8.5"])
            #expect(r.status == 0, "\(r.stderr)")
            let info = try Self.probe(video)
            #expect(info["codec_name"] == codec)
            #expect(info["nb_read_frames"] == "17", "\(name): \(info)")
        }
    }

    /// A user's gazetteer: the fixture's centres that closed in 2019 or are still open (eleven
    /// monthly frames, January to November 2019, to keep the test short). Its frames (the `--frames` SVGs are the video's frames: the same
    /// renderer call for the same days) carry the date readout and none of MINUSMA's words, and
    /// the video has one frame per SVG.
    @Test func userGazetteerVideoSaysNothingOfMinusma() throws {
        guard Self.requireTools() else { return }
        let scratch = try Scratch()
        let frames = scratch.file("frames")
        try FileManager.default.createDirectory(atPath: frames, withIntermediateDirectories: false)
        let fixture = try TestSupport.read(TestSupport.path("Tests/Fixtures/health-centres.csv")).split(separator: "\n")
        let kept = fixture.prefix(1) + fixture.dropFirst().filter { line in
            let closure = line.split(separator: ",", omittingEmptySubsequences: false).dropFirst(6).first ?? ""
            return closure.isEmpty || closure.hasPrefix("2019")
        }
        let data = scratch.file("health-centres.csv")
        try Data((kept.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: data))
        let video = scratch.file("centres.gif")
        let r = try TestSupport.minusma(["map", "--data", data, "--out", scratch.path,
                                         "--frames", frames, "--video", video, "--step", "month", "--fps", "10"])
        #expect(r.status == 0, "\(r.stderr)")
        let svgs = try FileManager.default.contentsOfDirectory(atPath: frames).filter { $0.hasSuffix(".svg") }.sorted()
        #expect(svgs.count == 11)
        #expect(try Self.probe(video)["nb_read_frames"] == String(svgs.count))
        for name in svgs {
            let svg = try TestSupport.read(frames + "/" + name)
            for word in ["MINUSMA", "withdrawal", "Malian authorities"] {
                #expect(!svg.localizedCaseInsensitiveContains(word), "\(name) says \(word)")
            }
            #expect(svg.contains("<g id=\"date-readout\">"), "\(name) has no date readout")
        }
        let first = try TestSupport.read(frames + "/" + (svgs.first ?? ""))
        #expect(first.contains(">1 January 2019</text>"), "the first frame's readout is its day")
    }

    /// A `bin` folder in the scratch holding only a link to rsvg-convert: a PATH without ffmpeg.
    static func folderWithRsvgOnly(_ scratch: Scratch) throws -> String {
        let bin = scratch.file("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: false)
        let rsvg = try TestSupport.run("which", ["rsvg-convert"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try FileManager.default.createSymbolicLink(atPath: bin + "/rsvg-convert", withDestinationPath: rsvg)
        return bin
    }

    /// Without ffmpeg on PATH (rsvg-convert still there): status 69, the package named, and the
    /// previous video untouched.
    @Test func missingFfmpegNamesThePackage() throws {
        guard Self.requireTools() else { return }
        let scratch = try Scratch()
        let bin = try Self.folderWithRsvgOnly(scratch)
        let video = scratch.file("v.mp4")
        try Data("previous".utf8).write(to: URL(fileURLWithPath: video))
        let r = try TestSupport.minusma(["map", "--out", scratch.path, "--video", video], environment: ["PATH": bin])
        #expect(r.status == 69, "status \(r.status): \(r.stderr)")
        #expect(r.stderr.contains("ffmpeg") && r.stderr.contains("apt-get install ffmpeg"), "\(r.stderr)")
        #expect(try TestSupport.read(video) == "previous")
    }

    /// An ffmpeg that fails: its last stderr lines in the message, status 74, the previous video
    /// untouched and no temporary file left.
    @Test func ffmpegFailureIsReportedWithItsWords() throws {
        guard Self.requireTools() else { return }
        let scratch = try Scratch()
        let bin = try Self.folderWithRsvgOnly(scratch)
        let fake = bin + "/ffmpeg"
        try Data("#!/bin/sh\necho 'first line' >&2\necho 'Conversion failed: no space left' >&2\nexit 1\n".utf8).write(to: URL(fileURLWithPath: fake))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake)
        let folder = scratch.file("out")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let video = folder + "/v.webm"
        try Data("previous".utf8).write(to: URL(fileURLWithPath: video))
        let r = try TestSupport.minusma(["map", "--out", scratch.path, "--video", video, "--step", "month"], environment: ["PATH": bin])
        #expect(r.status == 74, "status \(r.status): \(r.stderr)")
        #expect(r.stderr.contains("Conversion failed: no space left"), "\(r.stderr)")
        #expect(try TestSupport.read(video) == "previous")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["v.webm"])
    }

    /// SIGTERM while the frames are being encoded: status 143, ffmpeg ended, neither the staged
    /// video nor the frame's temporary SVG left behind.
    @Test func interruptEndsFfmpegAndLeavesNothing() throws {
        guard Self.requireTools() else { return }
        let scratch = try Scratch()
        let temporary = scratch.file("tmp"), folder = scratch.file("out")
        for f in [temporary, folder] { try FileManager.default.createDirectory(atPath: f, withIntermediateDirectories: false) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestSupport.minusma)
        process.arguments = ["map", "--out", folder, "--video", folder + "/v.mp4", "--step", "day"]
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var ffmpeg: Int32? = nil
        for _ in 0..<600 where ffmpeg == nil {
            usleep(50_000)
            ffmpeg = Self.children(of: process.processIdentifier).first { Self.command(of: $0) == "ffmpeg" }
        }
        // Some frames sent, so that ffmpeg has its output open.
        usleep(1_500_000)
        process.terminate()
        process.waitUntilExit()
        let pid = try #require(ffmpeg, "ffmpeg never started")
        #expect(process.terminationStatus == 143)
        #expect(Self.command(of: pid) != "ffmpeg", "ffmpeg \(pid) is still running")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0 != "minusma-withdrawal.svg" } == [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary) == [])
    }

    static func children(of pid: Int32) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.flatMap { task in
            ((try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? "").split(separator: " ").compactMap { Int32($0) }
        }
    }

    static func command(of pid: Int32) -> String? {
        (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Wrong --video, --fps and --duration are usage errors (64) before anything is drawn.
    @Test func optionsAreChecked() throws {
        let scratch = try Scratch()
        let cases: [([String], String)] = [
            (["--video", scratch.file("v.avi")], ".mp4, .webm or .gif"),
            (["--video", scratch.file("v.mp4"), "--fps", "0"], "1 to 60"),
            (["--video", scratch.file("v.mp4"), "--fps", "61"], "1 to 60"),
            (["--video", scratch.file("v.mp4"), "--duration", "0"], "above 0"),
            (["--video", scratch.file("v.mp4"), "--duration", "nan"], "above 0"),
            (["--fps", "4"], "options of --video"),
            (["--video", scratch.file("v.mp4"), "--step", "month", "--fps", "4", "--duration", "10"], "17 frames"),
            (["--video", scratch.file("v.mp4"), "--step", "day", "--duration", "2"], "frames a second"),
        ]
        for (arguments, expected) in cases {
            let r = try TestSupport.minusma(["map", "--out", scratch.path] + arguments)
            #expect(r.status == 64, "\(arguments): status \(r.status)")
            #expect(r.stderr.contains(expected), "\(arguments): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.file("v.mp4")))
    }

    /// The animated SVG's readout: one text per day, each shown by a discrete animation on the
    /// sites' clock; the map of one day has its day in the readout.
    @Test func animatedSvgHasTheDateReadout() throws {
        let scratch = try Scratch()
        #expect(try TestSupport.minusma(["map", "--out", scratch.path, "--animated", "--as-of", "2023-10-31"]).status == 0)
        let animated = try TestSupport.read(scratch.file("minusma-withdrawal-animated.svg"))
        if TestSupport.requireTool("xmllint") == nil {
            #expect(try TestSupport.run("xmllint", ["--noout", scratch.file("minusma-withdrawal-animated.svg")]).status == 0)
        } else {
            Issue.record("xmllint is not installed (Debian package libxml2-utils; `make test` installs it)")
        }
        let readout = try #require(animated.components(separatedBy: "<g id=\"date-readout\">").last?.components(separatedBy: "</g>").first)
        for day in ["1 July 2023", "3 August 2023", "31 October 2023", "15 November 2024"] {
            #expect(readout.contains(">\(day)<animate attributeName=\"visibility\""), "no readout text for \(day)")
        }
        // 1 July 2023 to 14 December 2024: the strip's days.
        #expect(readout.components(separatedBy: "<animate attributeName=\"visibility\"").count - 1 == 533)
        let oneDay = try TestSupport.read(scratch.file("minusma-withdrawal-2023-10-31.svg"))
        #expect(oneDay.contains("paint-order=\"stroke\">31 October 2023</text></g>"))
    }
}

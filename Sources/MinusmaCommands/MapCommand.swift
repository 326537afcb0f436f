#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Gazetteer
import Projection
import TextOutput
import WithdrawalMap

struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Draw the map of the sites as SVG (and PNG): sites, closure dates, legend, timeline.",
        discussion: """
        Writes minusma-withdrawal.svg: Mali, its regions and neighbours (Natural Earth), the sites coloured by \
        closure date (a viridis palette that reads in greyscale and for colour-blind readers) or by phase, their \
        names and dates, a legend, a scale bar, a graticule, the CRS and the sources, and under the map a timeline \
        of the sites still open. Default projection: Lambert conformal conic on Mali (conformal; --crs changes it).

        --as-of D draws the map of that day (closed sites as grey rings) into <name>-D.svg.
        --frames DIR writes one SVG per month (or --step day|week) for an animation; --animated writes \
        <name>-animated.svg, where the sites fade at their closure dates and the date readout follows (SVG \
        animation, no script).
        --video FILE (.mp4, .webm or .gif) encodes the map of every day (or --step week|month) from the \
        timeline's start to the last closure with ffmpeg (Debian package ffmpeg; status 69 without it): each frame \
        is the --as-of map of its day as --png draws it, date in the corner. --fps N (1-60; default 12 a second \
        for days, 4 for weeks, 2 for months) or --duration SECONDS sets the pace; given both, they must agree.
        --png also writes a PNG of each SVG with rsvg-convert (Debian package librsvg2-bin); without it the SVG is \
        still written and a note says so.

        With --data FILE the map is <file>-map.svg, its title the file's name and its credit "Data: <file>" (with \
        the Natural Earth base-map credit); --title and --attribution set your own, on any data. The timeline spans the data's \
        own closure dates.

        Examples:
          minusma map
          minusma map --png
          minusma map --as-of 2023-11-01 --png
          minusma map --color-by phase --crs EPSG:32630
          minusma map --frames /tmp/frames --step week
          minusma map --video withdrawal.mp4 --step week --fps 6
          minusma map --data health-centres.csv --title "Health centres closed, 2019-2023" --attribution "Data: Ministry of Health"
        """
    )

    @Option(name: .long, help: ArgumentHelp("The folder to write into (it must exist).", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Base name of the file (default: minusma-withdrawal, or <file>-map with --data).", valueName: "name"))
    var name: String?

    /// The colour schemes, as the parser lists them in help and errors.
    enum ColorScheme: String, CaseIterable, ExpressibleByArgument {
        case date, phase

        init?(argument: String) { self.init(rawValue: argument.lowercased()) }

        var scheme: MapOptions.ColorBy {
            switch self {
            case .date: return .date
            case .phase: return .phase
            }
        }
    }

    /// The frames' steps: the timeline's, and single days.
    enum FrameStep: String, CaseIterable, ExpressibleByArgument {
        case day, week, month

        init?(argument: String) { self.init(rawValue: argument.lowercased()) }

        /// The timeline's step; nil for days, which the timeline does not count in.
        var step: Timeline.Step? {
            switch self {
            case .day: return nil
            case .week: return .week
            case .month: return .month
            }
        }

        /// The video's frames a second without --fps or --duration.
        var defaultFPS: Int {
            switch self {
            case .day: return 12
            case .week: return 4
            case .month: return 2
            }
        }
    }

    /// More frames than this is a mistake (a closure in year 9999), not an animation.
    static let maximumFrames = 2000

    @Option(name: .long, help: ArgumentHelp("Colour the sites by closure date or by phase.", valueName: "scheme"))
    var colorBy: ColorScheme = .date

    @OptionGroup var text: LayerTextOptions

    @Option(name: .long, help: ArgumentHelp("Draw the map of this day (YYYY-MM-DD).", valueName: "date"))
    var asOf: String?

    @Option(name: .long, help: ArgumentHelp("The map's projection (default: Lambert conformal conic on Mali).", valueName: "crs"))
    var crs: String?

    @Flag(name: .long, help: "Also write a PNG of each SVG (needs rsvg-convert).")
    var png = false

    @Flag(name: .long, help: "Also write <name>-animated.svg, in which the sites fade at their closure dates.")
    var animated = false

    @Option(name: .long, help: ArgumentHelp("Write one SVG per step into this folder, for an animation.", valueName: "dir"))
    var frames: String?

    @Option(name: .long, help: ArgumentHelp("The step of --frames and --video (default: month for --frames, day for --video).", valueName: "step"))
    var step: FrameStep?

    @Option(name: .long, help: ArgumentHelp("Also encode the maps of every step into this video (.mp4, .webm or .gif; needs ffmpeg).", valueName: "file"))
    var video: String?

    @Option(name: .long, help: ArgumentHelp("The video's frames a second (1-60).", valueName: "n"))
    var fps: Int?

    @Option(name: .long, help: ArgumentHelp("The video's length in seconds (sets the frames a second).", valueName: "seconds"))
    var duration: Double?

    @OptionGroup var data: DataOptions
    @OptionGroup var lang: LanguageOption

    func validate() throws {
        if let name { try OutputName.validate(name) }
        try OutputName.validateFolder(out)
        try OutputName.validateFolder(frames, option: "--frames")
        try validateVideo()
    }

    private func validateVideo() throws {
        guard let video else {
            if fps != nil || duration != nil {
                throw ValidationError("--fps and --duration are options of --video")
            }
            return
        }
        guard VideoEncoder.Container(path: video) != nil else {
            throw ValidationError("--video \(video): expected a file name ending in .mp4, .webm or .gif")
        }
        if let fps, !VideoEncoder.fpsRange.contains(fps) {
            throw ValidationError("--fps \(fps): expected \(VideoEncoder.fpsRange.lowerBound) to \(VideoEncoder.fpsRange.upperBound) frames a second")
        }
        if let duration, !(duration > 0 && duration <= VideoEncoder.longestDuration) {
            throw ValidationError("--duration \(duration): expected a number of seconds above 0 and at most \(Int(VideoEncoder.longestDuration))")
        }
    }

    func run() throws {
        let day = try asOf.map { try FilterOptions.date($0, option: "--as-of") }
        let gazetteer = try data.load()
        let language = lang.language
        let wording = data.usesBuiltIn ? MapWording.minusma(source: gazetteer.source, language: language)
            : MapWording.neutral(source: gazetteer.source, language: language)
        var options = MapOptions(colorBy: colorBy.scheme, wording: wording.overriding(title: text.title, attribution: text.attribution))
        // What followed each closure is known for the built-in sites only.
        if data.usesBuiltIn {
            do { options.events = try FactReader.builtInEvents() } catch { throw CommandFailure.from(error) }
        }
        if let crs {
            do {
                options.crs = try CRSRequest(parsing: crs).resolved(dataCentre: DataCentre.of(gazetteer))
            } catch { throw CommandFailure.from(error) }
        }
        let renderer: WithdrawalMapRenderer
        do {
            renderer = try WithdrawalMapRenderer(sites: gazetteer.sitesInClosureOrder, source: gazetteer.source, options: options)
        } catch let error as ProjectionError {
            throw CommandFailure.from(error)
        }
        let directory = out ?? OutputFolder.default()
        let name = self.name ?? data.outputName(builtIn: "minusma-withdrawal", suffix: "-map")
        var written: [String] = []
        func write(_ svg: String, to path: String) throws {
            do {
                let file = try AtomicFile(path: path)
                let buffer = OutputBuffer(sink: file)
                buffer.append(string: svg)
                try buffer.flush()
                try file.commit()
            } catch { throw CommandFailure.from(error) }
            written.append(path)
            if png { try Self.convertToPNG(path) }
        }

        let mainName = day.map { "\(name)-\($0).svg" } ?? "\(name).svg"
        try write(renderer.svg(asOf: day), to: FilePath.join(directory, mainName))
        if animated {
            try write(renderer.svg(animated: true), to: FilePath.join(directory, "\(name)-animated.svg"))
        }
        if let frames {
            for day in try Self.frameDays(gazetteer, renderer: renderer, step: step ?? .month, option: "--frames") {
                try write(renderer.svg(asOf: day), to: FilePath.join(frames, "frame-\(day).svg"))
            }
        }
        if let video, let container = VideoEncoder.Container(path: video) {
            let step = self.step ?? .day
            let days = try Self.frameDays(gazetteer, renderer: renderer, step: step, option: "--video")
            let span = "one a \(step.rawValue) from \(days.first.map(String.init(describing:)) ?? "") to \(days.last.map(String.init(describing:)) ?? "")"
            let rate = try VideoEncoder.frameRate(frames: days.count, fps: fps, duration: duration, defaultFPS: step.defaultFPS, describing: span)
            try VideoEncoder(path: video, container: container, rate: rate).encode(days: days) { renderer.svg(asOf: $0) }
            written.append(video)
        }
        var text = ""
        for path in written { text += "Wrote \(OutputFolder.display(path))\n" }
        if let day {
            let open = gazetteer.sites.filter { $0.isOpen(on: day) }.count
            text += language == .fr ? "\(open) site\(open == 1 ? "" : "s") sur \(gazetteer.sites.count) ouvert\(open == 1 ? "" : "s") le \(day.longDescription(.fr))\n"
                : "\(open) of \(gazetteer.sites.count) sites open on \(day)\n"
        }
        Console.output(text)
    }

    /// The days of `--frames` and `--video` (the first of each step), over the map's own timeline;
    /// an error when there is none, or when it would take an unreasonable number of frames.
    static func frameDays(_ gazetteer: Gazetteer, renderer: WithdrawalMapRenderer, step: FrameStep, option: String) throws -> [CalendarDate] {
        guard let start = renderer.timelineStart, let last = gazetteer.sites.compactMap(\.closureDate).max() else {
            throw CommandFailure(.usage, "\(option): \(gazetteer.source) has no closure dates, so there are no steps to draw")
        }
        // Counted before the steps are made: a closure in year 9999 would make millions.
        let days = start.days(to: last)
        let count: Int
        switch step {
        case .day: count = days + 1
        case .week: count = days / 7 + 1
        case .month: count = (last.year - start.year) * 12 + last.month - start.month + 1
        }
        guard count <= maximumFrames else {
            let hint = step == .month ? "" : ", or use --step month"
            throw CommandFailure(.usage, "\(option): \(start) to \(last) by \(step.rawValue) is \(count) frames (at most \(maximumFrames)); check the closure dates of \(gazetteer.source)\(hint)")
        }
        guard let timelineStep = step.step else { return (0..<count).map { start.adding(days: $0) } }
        return Timeline(sites: gazetteer.sites, step: timelineStep, start: start, through: last).entries.map(\.date)
    }

    /// Renders `svg` to a PNG beside it with rsvg-convert; a missing tool is a note, not a failure.
    static func convertToPNG(_ svg: String) throws {
        let pngPath = (svg.hasSuffix(".svg") ? String(svg.dropLast(4)) : svg) + ".png"
        let temporary = pngPath + ".tmp-\(getpid())"
        // An interrupt while rsvg-convert runs removes its half-written PNG.
        Interruption.register(temporary)
        defer { Interruption.unregister(temporary) }
        let status = Subprocess.run("rsvg-convert", ["--format", "png", "--background-color", "white", "--output", temporary, svg])
        switch status {
        case .notFound:
            Console.error("minusma: note: rsvg-convert is not installed (Debian: apt-get install librsvg2-bin); wrote the SVG only")
        case .exited(0):
            if rename(temporary, pngPath) != 0 {
                unlink(temporary)
                throw CommandFailure(.ioError, "cannot write \(pngPath): \(String(cString: strerror(errno)))")
            }
            Console.output("Wrote \(OutputFolder.display(pngPath))\n")
        case .exited(let code):
            unlink(temporary)
            throw CommandFailure(.failure, "rsvg-convert failed (status \(code)) on \(svg)")
        }
    }
}

/// Runs a program found on PATH and waits for it.
enum Subprocess {
    enum Status: Equatable {
        case exited(Int32)
        case notFound
    }

    static func run(_ program: String, _ arguments: [String]) -> Status {
        guard let pid = ChildProcess.start(program, arguments) else { return .notFound }
        let code = ChildProcess.wait(pid)
        return code == 127 ? .notFound : .exited(code)
    }
}

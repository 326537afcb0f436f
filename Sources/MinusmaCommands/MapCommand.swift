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
        --frames DIR writes one SVG per week or month for an animation; --animated writes \
        <name>-animated.svg, where the sites fade at their closure dates (SVG animation, no script).
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

    /// The frames' steps.
    enum FrameStep: String, CaseIterable, ExpressibleByArgument {
        case week, month

        init?(argument: String) { self.init(rawValue: argument.lowercased()) }

        var step: Timeline.Step {
            switch self {
            case .week: return .week
            case .month: return .month
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

    @Option(name: .long, help: ArgumentHelp("The frames' step.", valueName: "step"))
    var step: FrameStep = .month

    @OptionGroup var data: DataOptions
    @OptionGroup var lang: LanguageOption

    func validate() throws {
        if let name { try OutputName.validate(name) }
        try OutputName.validateFolder(out)
        try OutputName.validateFolder(frames, option: "--frames")
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
            let timeline = try Self.frameTimeline(gazetteer, renderer: renderer, step: step)
            for entry in timeline.entries {
                try write(renderer.svg(asOf: entry.date), to: FilePath.join(frames, "frame-\(entry.date).svg"))
            }
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

    /// The steps of `--frames`, over the map's own timeline; an error when there is none, or when
    /// it would take an unreasonable number of files.
    static func frameTimeline(_ gazetteer: Gazetteer, renderer: WithdrawalMapRenderer, step: FrameStep) throws -> Timeline {
        guard let start = renderer.timelineStart, let last = gazetteer.sites.compactMap(\.closureDate).max() else {
            throw CommandFailure(.usage, "--frames: \(gazetteer.source) has no closure dates, so there are no steps to draw")
        }
        // Counted before the steps are made: a closure in year 9999 would make millions.
        let count = step == .week ? start.days(to: last) / 7 + 1 : (last.year - start.year) * 12 + last.month - start.month + 1
        guard count <= maximumFrames else {
            let hint = step == .week ? ", or use --step month" : ""
            throw CommandFailure(.usage, "--frames: \(start) to \(last) by \(step.rawValue) is \(count) frames (at most \(maximumFrames)); check the closure dates of \(gazetteer.source)\(hint)")
        }
        return Timeline(sites: gazetteer.sites, step: step.step, start: start, through: last)
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
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        // The child starts with SIGINT and SIGTERM unblocked and at their default action: this
        // process blocks them for its signal watcher, and a child would inherit that mask and
        // keep running after an interrupt.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = Interruption.childSignalMask()
        var defaults = Interruption.handledSignals()
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let spawned = argv.withUnsafeBufferPointer { buffer in
            posix_spawnp(&pid, program, nil, &attributes, UnsafeMutablePointer(mutating: buffer.baseAddress!), environ)
        }
        if spawned != 0 { return .notFound }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
        let exited = status & 0x7F == 0
        let code = (status >> 8) & 0xFF
        if exited && code == 127 { return .notFound }
        return .exited(exited ? code : 128 + (status & 0x7F))
    }
}

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
        abstract: "Draw the map of the withdrawal as SVG (and PNG): sites, dates, legend, timeline.",
        discussion: """
        Writes minusma-withdrawal.svg: Mali, its regions and neighbours (Natural Earth), the 13 sites coloured by \
        closure date (a viridis palette that reads in greyscale and for colour-blind readers) or by phase, their \
        names and dates, a legend, a scale bar, a graticule, the CRS and the sources, and under the map a timeline \
        of the sites still open. Default projection: Lambert conformal conic on Mali (conformal; --crs changes it).

        --as-of D draws the map of that day (closed sites as grey rings) into minusma-withdrawal-D.svg.
        --frames DIR writes one SVG per week or month for an animation; --animated writes \
        minusma-withdrawal-animated.svg, where the sites fade at their closure dates (SVG animation, no script).
        --png also writes a PNG of each SVG with rsvg-convert (Debian package librsvg2-bin); without it the SVG is \
        still written and a note says so.

        Examples:
          minusma map
          minusma map --png
          minusma map --as-of 2023-11-01 --png
          minusma map --color-by phase --crs EPSG:32630
          minusma map --frames /tmp/frames --step week
        """
    )

    @Option(name: .long, help: ArgumentHelp("The folder to write into (it must exist).", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Base name of the file.", valueName: "name"))
    var name: String = "minusma-withdrawal"

    @Option(name: .long, help: ArgumentHelp("date (default) or phase.", valueName: "scheme"))
    var colorBy: String = "date"

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

    @Option(name: .long, help: ArgumentHelp("The frames' step: week or month.", valueName: "step"))
    var step: String = "month"

    @OptionGroup var data: DataOptions

    func validate() throws {
        try OutputName.validate(name)
        try OutputName.validateFolder(out)
        try OutputName.validateFolder(frames, option: "--frames")
    }

    func run() throws {
        guard let scheme = MapOptions.ColorBy(rawValue: colorBy.lowercased()) else {
            throw CommandFailure(.usage, "unknown colour scheme '\(colorBy)': expected date or phase")
        }
        guard let frameStep = Timeline.Step(rawValue: step.lowercased()) else {
            throw CommandFailure(.usage, "unknown step '\(step)': expected week or month")
        }
        let day = try asOf.map { try FilterOptions.date($0, option: "--as-of") }
        let gazetteer = try data.load()
        var options = MapOptions(colorBy: scheme)
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
            let timeline = Timeline(sites: gazetteer.sites, step: frameStep)
            for entry in timeline.entries {
                try write(renderer.svg(asOf: entry.date), to: FilePath.join(frames, "frame-\(entry.date).svg"))
            }
        }
        var text = ""
        for path in written { text += "Wrote \(OutputFolder.display(path))\n" }
        if let day {
            let open = gazetteer.sites.filter { $0.isOpen(on: day) }.count
            text += "\(open) of \(gazetteer.sites.count) sites open on \(day)\n"
        }
        Console.output(text)
    }

    /// Renders `svg` to a PNG beside it with rsvg-convert; a missing tool is a note, not a failure.
    static func convertToPNG(_ svg: String) throws {
        let pngPath = (svg.hasSuffix(".svg") ? String(svg.dropLast(4)) : svg) + ".png"
        let temporary = pngPath + ".tmp-\(getpid())"
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
        let spawned = argv.withUnsafeBufferPointer { buffer in
            posix_spawnp(&pid, program, nil, nil, UnsafeMutablePointer(mutating: buffer.baseAddress!), environ)
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

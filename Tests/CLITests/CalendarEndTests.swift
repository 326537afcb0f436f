import Foundation
import Testing
import TestSupport

/// Dates at the end of the calendar, in options and in data, through every command that does
/// day arithmetic: each works or exits with a message and a status; none dies of a signal (the
/// timeline used to trap on `--to 9999-12-31`).
@Suite struct CalendarEndTests {
    static func file(_ rows: String) throws -> String {
        let path = try TestSupport.temporaryFolder() + "/far.csv"
        try ("id,name,lat,lon,opened_on,closed_on\n" + rows).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func timelineToTheLastDay() throws {
        let out = try TestSupport.temporaryFolder()
        let far = try TestSupport.minusma(["timeline", "--to", "9999-12-31", "--out", out])
        #expect(far.status == 64 && far.stderr.contains("at most 10000 are written"), "\(far.status): \(far.stderr)")
        let last = try TestSupport.minusma(["timeline", "--from", "9999-01-01", "--to", "9999-12-31", "--out", out])
        #expect(last.status == 0, "\(last.stderr)")
        #expect(last.stdout.contains("9999-12-01"), "the last month is a step")
        let week = try TestSupport.minusma(["timeline", "--step", "week", "--from", "9999-12-01", "--to", "9999-12-31", "--no-layers"])
        #expect(week.status == 0 && week.stdout.contains("9999-12-29"), "\(week.stderr)")
    }

    @Test func dataThatEndsOnTheLastDay() throws {
        let data = try Self.file("a,A,15,-1,9999-01-01,9999-12-31\nb,B,14,-2,,9999-11-30\n")
        let out = try TestSupport.temporaryFolder()
        for arguments in [["export", "--quiet"], ["timeline"], ["map"], ["qgis-project"], ["export", "--as-of", "9999-12-30", "--quiet"]] {
            let r = try TestSupport.minusma(arguments + ["--data", data, "--out", out])
            #expect(r.status == 0, "\(arguments): \(r.status) \(r.stderr)")
        }
        let gone = try TestSupport.minusma(["export", "--as-of", "9999-12-31", "--data", data, "--out", out])
        #expect(gone.status == 3, "both closed by the last day: nothing to write")
        let wide = try Self.file("a,A,15,-1,,2019-01-01\nb,B,14,-2,,9999-12-31\n")
        let steps = try TestSupport.minusma(["timeline", "--data", wide, "--out", out])
        #expect(steps.status == 64 && steps.stderr.contains("steps"), "\(steps.status): \(steps.stderr)")
    }
}

/// Text from flags reaches XML, JSON and SQLite like the data's: the characters refused in data
/// are refused in `--title` and `--attribution` too, for every command that takes them.
@Suite struct FlagTextTests {
    @Test func charactersNoOutputCanCarryAreRefused() throws {
        let dir = try TestSupport.temporaryFolder()
        for command in ["export", "map", "qgis-project", "timeline"] {
            for text in ["a\u{FFFF}b", "a\u{1B}[31mb"] {
                let r = try TestSupport.minusma([command, "--title", text, "--out", dir])
                #expect(r.status == 64 && r.stderr.contains("--title holds the character U+"), "\(command): \(r.status) \(r.stderr)")
            }
        }
        let credit = try TestSupport.minusma(["export", "--attribution", "x\u{FFFE}", "--out", dir])
        #expect(credit.status == 64 && credit.stderr.contains("--attribution"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }
}

/// The command line takes its formats from the registry: `minusma formats`, `export --help` and
/// the `--format` error name the same ones.
@Suite struct FormatRegistryCommandTests {
    @Test func formatsHelpAndErrorsAgree() throws {
        let listing = try TestSupport.minusma(["formats"])
        #expect(listing.status == 0)
        let names = listing.stdout.split(separator: "\n").dropFirst(2).compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(Set(names).isSuperset(of: ["geojson", "kml", "csv", "gpkg"]), "\(names)")
        let help = try TestSupport.minusma(["export", "--help"]).stdout
        let error = try TestSupport.minusma(["export", "--format", "nope"]).stderr
        for name in names {
            #expect(help.contains("  \(name) "), "export --help lists \(name)")
            // ArgumentParser lists up to four values inline ('a', 'b'...), more as a bulleted list.
            #expect(error.contains("'\(name)'") || error.contains("  - \(name)\n"), "the --format error lists \(name)")
        }
    }
}

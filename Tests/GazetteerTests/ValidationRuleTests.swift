import Testing
@testable import Gazetteer

/// One crafted bad file per rule; each must be rejected with a message that names the file,
/// the line and the field, what was found and what was expected.
@Suite struct ValidationRuleTests {
    func only(_ report: ValidationReport?, sourceLocation: SourceLocation = #_sourceLocation) -> Diagnostic? {
        #expect(report?.errorCount == 1, "\(report?.lines ?? [])", sourceLocation: sourceLocation)
        return report?.errors.first
    }

    @Test func duplicateIds() {
        let d = only(rejection("id,name,lat,lon\na,A,15,-1\nb,B,15,-2\na,C,16,-3\n"))
        #expect(d?.description == #"bad.csv:4: error: field 'id': found "a" again (first on line 2), expected a unique id"#)
    }

    @Test func orderGapsInTheMinusmaData() {
        // Order 7 becomes 14: no site has order 7, and 14 is beyond 13.
        let text = builtInEdited(line: 8) { $0.replacingFirst("aguelhok,7,", with: "aguelhok,14,") }
        let report = rejection(text, profile: .minusma)
        #expect(report?.lines.contains { $0.contains("field 'closure_order': found no site with order 7, expected orders 1..13 without gaps") } == true,
                "\(report?.lines ?? [])")
        #expect(report?.lines.contains { $0.hasPrefix("bad.csv:8: error: field 'closure_order': found 14") } == true)
    }

    @Test func repeatedOrder() {
        let text = builtInEdited(line: 8) { $0.replacingFirst("aguelhok,7,", with: "aguelhok,6,") }
        let report = rejection(text, profile: .minusma)
        #expect(report?.lines.contains { $0.hasPrefix("bad.csv:8: error: field 'closure_order': found 6 again (first on line 7)") } == true,
                "\(report?.lines ?? [])")
    }

    @Test func datesThatDoNotExist() {
        let d = only(rejection("id,name,lat,lon,handover_date\na,A,15,-1,2023-02-30\n"))
        #expect(d?.description == #"bad.csv:2: error: field 'handover_date': found "2023-02-30", expected a date that exists, as YYYY-MM-DD"#)
        #expect(rejection("id,name,lat,lon,closed_on\na,A,15,-1,03/08/2023\n")?.errors.first?.field == "closed_on")
        #expect(rejection("id,name,lat,lon,closed_on\na,A,15,-1,2024-02-29\n") == nil, "2024 is a leap year")
        #expect(rejection("id,name,lat,lon,closed_on\na,A,15,-1,2023-02-29\n") != nil)
    }

    @Test func latitudeRange() {
        let d = only(rejection("id,name,lat,lon\na,A,95.5,-1\n"))
        #expect(d?.description == #"bad.csv:2: error: field 'lat': found "95.5", expected a latitude in [-90, 90] degrees"#)
    }

    @Test func longitudeRange() {
        let d = only(rejection("id,name,latitude,longitude\na,A,15,-181\n"))
        #expect(d?.description == #"bad.csv:2: error: field 'longitude': found "-181", expected a longitude in [-180, 180] degrees"#)
    }

    @Test func coordinatesThatAreNotNumbers() {
        let d = only(rejection("id,name,lat,lon\na,A,15°N,-1\n"))
        #expect(d?.found == #""15°N""# && d?.expected == "a decimal number")
    }

    @Test func bothCoordinatesOrNeither() {
        let d = only(rejection("id,name,lat,lon\na,A,,-1\n"))
        #expect(d?.field == "lat" && d?.expected == "both coordinates or neither")
        #expect(rejection("id,name,lat,lon\na,A,,\n") == nil, "a site may have no known position")
    }

    @Test func outsideMaliIsAWarningForUserDataMostlyInMali() throws {
        let g = try read("id,name,lat,lon\nparis,Paris,48.85,2.35\nlere,Léré,15.72,-4.91\ngao,Gao,16.27,-0.04\n")
        #expect(g.sites.count == 3)
        #expect(g.report.warningCount == 1)
        #expect(g.report.warnings.first?.description.contains("test.csv:2: warning: field 'lat': found 2.35, 48.85 (lon, lat), expected a position inside Mali's bounding box") == true)
        #expect(g.report.warnings.first?.description.contains("where most of the file's sites are") == true)
    }

    /// A gazetteer of somewhere else is not told about Mali.
    @Test func aGazetteerElsewhereGetsNoMaliWarning() throws {
        let g = try read("id,name,lat,lon\nparis,Paris,48.85,2.35\nlyon,Lyon,45.76,4.84\nlere,Léré,15.72,-4.91\n")
        #expect(g.sites.count == 3)
        #expect(g.report.warningCount == 0)
        #expect(!g.report.lines.joined().contains("Mali"))
    }

    @Test func outsideMaliIsAnErrorForTheMinusmaData() {
        let text = builtInEdited(line: 2) { $0.replacingFirst("-3.57060,13.95830", with: "2.35,48.85") }
        let d = only(rejection(text, profile: .minusma))
        #expect(d?.line == 2 && d?.expected.contains("inside Mali's bounding box") == true)
    }

    @Test func closureDatesFollowTheClosureOrder() {
        // Ber (order 2) closing before Ogossagou (order 1).
        let text = builtInEdited(line: 3) { $0.replacingAll("2023-08-13", with: "2023-08-01") }
        let d = only(rejection(text, profile: .minusma))
        #expect(d?.description == "bad.csv:3: error: field 'closure_date': found 2023-08-01 for closure order 2, expected a day on or after 2023-08-03, the closure of order 1 (line 2)")
    }

    @Test func departureNotBeforeHandover() {
        let d = only(rejection("id,name,lat,lon,handover_date,last_departure_date\na,A,15,-1,2023-08-03,2023-08-01\n"))
        #expect(d?.description == "bad.csv:2: error: field 'last_departure_date': found 2023-08-01, expected a day on or after the handover (2023-08-03)")
    }

    @Test func closureDateAgreesWithHandoverAndDeparture() {
        let d = only(rejection("id,name,lat,lon,handover_date,closure_date\na,A,15,-1,2023-08-03,2023-08-04\n"))
        #expect(d?.field == "closure_date" && d?.found == "2023-08-04")
        #expect(d?.expected.hasPrefix("2023-08-03, the handover date") == true)
    }

    @Test func requiredColumns() {
        let d = only(rejection("id,title,lat\na,A,15\n"))
        #expect(d?.description == "bad.csv:1: error: found no column for name, longitude among 'id', 'title', 'lat' (read as CSV, comma-separated), "
                + "expected the columns id, name, latitude and longitude (or aliases, name: site_name, nom, label, nom_site; longitude: lon, lng, long, longitude_wgs84)")
    }

    @Test func wrongFieldCount() {
        let d = only(rejection("id,name,lat,lon\na,Gao, Mali,16,-0.02\n"))
        #expect(d?.description == "bad.csv:2: error: found 5 fields, expected 4 fields, as in the header (a comma inside a value needs quotes)")
    }

    @Test func malformedQuotes() {
        #expect(only(rejection("id,name,lat,lon\na,Camp \"Castor\",16,-0.02\n"))?.found.contains("a quote inside an unquoted field") == true)
        #expect(only(rejection("id,name,lat,lon\na,\"Gao\"x,16,-0.02\n"))?.found.contains("after a closing quote") == true)
        let unterminated = only(rejection("id,name,lat,lon\na,A,16,-0.02\nb,\"never closed,16,-1\n"))
        #expect(unterminated?.line == 3 && unterminated?.found.contains("never closed") == true)
    }

    @Test func invalidUTF8() {
        // "Mén" in Latin-1, as a spreadsheet might save it.
        let bytes: [UInt8] = Array("id,name,lat,lon\na,".utf8) + [0x4D, 0xE9, 0x6E] + Array(",15,-1\n".utf8)
        var report: ValidationReport? = nil
        do {
            _ = try Gazetteer.read(from: MemorySource(bytes: bytes, displayName: "latin1.csv"), options: ReadOptions())
        } catch {
            if case .rejected(let r) = error { report = r }
        }
        let d = only(report)
        #expect(d?.description == "latin1.csv:2: error: field 'name': found bytes that are not UTF-8, expected UTF-8 text")
    }

    @Test func unknownPhase() {
        let d = only(rejection("id,name,lat,lon,phase\na,A,15,-1,3b\n"))
        #expect(d?.expected == "a phase: 1, 2 or liquidation")
    }

    @Test func theMinusmaDataHasThirteenSites() {
        var lines = BuiltInText.lines
        lines.removeLast()
        let report = rejection(lines.joined(separator: "\n") + "\n", profile: .minusma)
        #expect(report?.lines.first == "bad.csv: error: found 12 sites, expected the 13 MINUSMA sites")
    }

    @Test func theMinusmaDataNamesItsSources() {
        let text = builtInEdited(line: 13) { line in
            // Drop the last two fields (date and coordinate sources) of Gao's row.
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[fields.count - 1] = ""
            return fields.joined(separator: ",")
        }
        let report = rejection(text, profile: .minusma)
        #expect(report?.lines.contains { $0.contains("bad.csv:13: error: field 'coord_sources': found no coord_sources, expected the sources of the coordinate") } == true,
                "\(report?.lines ?? [])")
    }

    @Test func everyProblemOfAFileIsReportedAtOnce() {
        let report = rejection("id,name,lat,lon,closed_on\na,A,95,-1,2023-02-30\n,B,15,-1,\nc,,15,-1,2023-13-01\n")
        #expect(report?.errorCount == 5, "\(report?.lines ?? [])")
        #expect(report?.errors.map(\.line) == [2, 2, 3, 4, 4])
    }

    @Test func onlyTheFirstTwentyAreShown() {
        var text = "id,name,lat,lon\n"
        for i in 0..<250 { text += "p\(i),P,99,1\n" }
        let report = rejection(text)
        #expect(report?.errorCount == 250)
        #expect(report?.errors.count == 20)
        #expect(report?.errors.first?.line == 2 && report?.errors.last?.line == 21)
        #expect(report?.lines.last == "... and 230 more errors")
    }

    @Test func skipInvalidKeepsTheGoodRows() throws {
        let g = try read("id,name,lat,lon\na,A,15,-1\nb,B,99,-1\nc,C,16,-2\n", skipInvalid: true)
        #expect(g.sites.map(\.id) == ["a", "c"])
        #expect(g.report.skippedRows == 1 && g.report.errorCount == 0)
        #expect(g.report.warnings.first?.description.hasSuffix("(row skipped)") == true)
    }

    @Test func emptyFileAndHeaderOnly() throws {
        #expect(rejection("")?.errors.first?.found == "an empty file")
        let g = try read("id,name,lat,lon\n")
        #expect(g.sites.isEmpty)
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let r = Substring(self).range(ofText: target) else { return self }
        return String(self[..<r.lowerBound]) + replacement + String(self[r.upperBound...])
    }

    func replacingAll(_ target: String, with replacement: String) -> String {
        var out = self
        while Substring(out).range(ofText: target) != nil { out = out.replacingFirst(target, with: replacement) }
        return out
    }
}

extension Substring {
    func range(ofText needle: String) -> Range<String.Index>? {
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(needle) { return i..<index(i, offsetBy: needle.count) }
            i = index(after: i)
        }
        return nil
    }
}

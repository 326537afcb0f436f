import Testing
@testable import Gazetteer

@Suite struct UserDataTests {
    @Test func aliasesExtrasAndTypeHints() throws {
        let g = try read("""
            Site ID,Nom,LAT,lon,closed_on,population:integer,visited:date,comment,source_note
            x1,Léré,15.72,-4.91,2023-09-01,12000,2022-05-04,"a ""quoted"", note",from a survey
            x2,Hombori,15.28,-1.70,,,,,

            """)
        #expect(g.schema.fields == [.id, .name, .longitude, .latitude, .closureDate, .notes])
        #expect(g.schema.extras == [ExtraColumn(name: "population", valueType: .integer),
                                    ExtraColumn(name: "visited", valueType: .date),
                                    ExtraColumn(name: "source_note", valueType: .text)])
        let s = g.sites[0]
        #expect(s.name == "Léré" && s.position == GeoPosition(longitude: -4.91, latitude: 15.72))
        #expect(s.closureDate == CalendarDate(year: 2023, month: 9, day: 1))
        #expect(s.notes == "a \"quoted\", note")
        #expect(s.value(ofExtra: 0, in: g.schema) == .integer(12000))
        #expect(s.value(ofExtra: 1, in: g.schema) == .date(CalendarDate(year: 2022, month: 5, day: 4)!))
        #expect(g.sites[1].extras == [nil, nil, nil])
        #expect(g.sites[1].closureDate == nil)
    }

    @Test func typeHintsAreChecked() {
        let d = rejection("id,name,lat,lon,population:integer\na,A,15,-1,many\n")?.errors.first
        #expect(d?.field == "population:integer" && d?.expected.contains("an integer") == true)
        #expect(rejection("id,name,lat,lon,when:datetime\n")?.errors.first?.found.contains("type hint 'datetime'") == true)
    }

    @Test func twoColumnsForOneField() {
        let d = rejection("id,name,lat,latitude,lon\n")?.errors.first
        #expect(d?.found == "columns 'lat' and 'latitude' that both mean latitude")
    }

    @Test func closureDerivedFromHandoverAndDeparture() throws {
        let g = try read("id,name,lat,lon,handover_date,last_departure_date\na,A,15,-1,,2023-10-23\nb,B,15,-1,2023-08-03,2023-08-04\n")
        #expect(g.schema.contains(.closureDate))
        #expect(g.sites.map { $0.closureDate?.description } == ["2023-10-23", "2023-08-03"])
    }

    @Test func crlfBomAndQuotedLineBreaks() throws {
        let text = "\u{FEFF}id,name,lat,lon,notes\r\na,A,15,-1,\"two\r\nlines\"\r\nb,B,16,-2,x\r\n"
        let g = try read(text)
        #expect(g.sites.map(\.id) == ["a", "b"])
        #expect(g.sites[0].notes == "two\r\nlines")
        #expect(g.sites[1].line == 4, "line numbers count the line break inside the quotes")
    }

    @Test func recordsThatCrossBufferBoundaries() throws {
        var text = "id,name,lat,lon,notes\n"
        for i in 0..<200 { text += "s\(i),\"Name, \(i)\",\(10 + Double(i) / 100),-\(Double(i) / 50),\"note \"\"\(i)\"\" with\nbreak\"\n" }
        for size in [1, 2, 3, 7, 64, 1 << 16] {
            let csv = CSVRecordReader(source: MemorySource(text, displayName: "t"), bufferSize: size)
            var count = 0, last = ""
            while try csv.next() == .record { count += 1; last = csv.string(4) ?? "" }
            #expect(count == 201, "buffer \(size)")
            #expect(last == "note \"199\" with\nbreak", "buffer \(size)")
        }
    }
}

@Suite struct DuplicateIdDetectorTests {
    /// With tiny runs the detector spills and merges; it must find exactly the repeats.
    @Test(arguments: [1 << 18, 7, 64])
    func findsExactlyTheRepeatedIds(runCapacity: Int) throws {
        let detector = DuplicateIdDetector(runCapacity: runCapacity)
        var expected: [String] = []
        for i in 0..<1000 {
            var id = "id-\(i % 900)"
            if i >= 900 { expected.append("\(id)@\(i + 2)") }
            id.withUTF8 { detector.add($0, line: i + 2) }
        }
        var found: [String] = []
        try detector.findDuplicates { id, first, line in
            #expect(first + 900 == line)
            found.append("\(id)@\(line)")
        }
        #expect(found.sorted() == expected.sorted())
    }

    /// Spilled or not, the repeats come in the same order.
    @Test func reportsInTheSameOrderWhateverTheRunSize() throws {
        func repeats(_ runCapacity: Int) throws -> [String] {
            let detector = DuplicateIdDetector(runCapacity: runCapacity)
            for i in 0..<6000 {
                var id = "site-\((i * 7919) % 5000)"
                id.withUTF8 { detector.add($0, line: i + 2) }
            }
            var found: [String] = []
            try detector.findDuplicates { id, first, line in found.append("\(id)@\(first)/\(line)") }
            return found
        }
        let inMemory = try repeats(1 << 18)
        #expect(inMemory.count == 1000)
        // Runs under 4,096 ids are ordered by comparison, longer ones by a radix sort: both kinds.
        for capacity in [1, 5, 64, 1000, 4500] { #expect(try repeats(capacity) == inMemory, "run capacity \(capacity)") }
    }
}

@Suite struct TrimmingTests {
    @Test func trimsUnicodeWhiteSpaceOnly() {
        let cases: [(String, String)] = [
            ("Gao", "Gao"), (" Gao ", "Gao"), ("\tKidal\r\n", "Kidal"), ("\u{00A0}Ménaka\u{2003}", "Ménaka"),
            ("é", "é"), ("a\u{0301}", "a\u{0301}"), ("", ""), (" \n ", ""), ("\u{1}x\u{1}", "\u{1}x\u{1}"),
        ]
        for (text, trimmed) in cases { #expect(text.trimmingSpaces == trimmed, "\(text.unicodeScalars.map(\.value))") }
    }
}

@Suite struct CalendarDateTests {
    @Test func parsesAndRejects() {
        #expect(CalendarDate("2023-08-03")?.description == "2023-08-03")
        for bad in ["2023-8-3", "2023-02-30", "2023-13-01", "2023-00-10", "20230803", "2023-08-03T00:00", " 2023-08-03", ""] {
            #expect(CalendarDate(bad) == nil, "\(bad)")
        }
    }

    @Test func arithmeticAndWeekdays() {
        let d = CalendarDate(year: 2023, month: 8, day: 3)!
        #expect(d.isoWeekday == 4, "3 Aug 2023 was a Thursday")
        #expect(CalendarDate(year: 2023, month: 11, day: 12)!.isoWeekday == 7, "12 Nov 2023 was a Sunday")
        #expect(CalendarDate(year: 2024, month: 11, day: 15)!.isoWeekday == 5)
        #expect(d.adding(days: 29).description == "2023-09-01")
        #expect(CalendarDate(year: 2024, month: 1, day: 31)!.adding(months: 1).description == "2024-02-29")
        #expect(CalendarDate(daysSinceEpoch: 0)?.description == "1970-01-01")
        // 0001-01-01 ... 9999-12-31, the years a CalendarDate holds.
        for days in stride(from: -719_162, through: 2_932_896, by: 997) {
            #expect(CalendarDate(daysSinceEpoch: days)?.daysSinceEpoch == days)
        }
        #expect(d.days(to: CalendarDate(year: 2024, month: 11, day: 15)!) == 470)
    }
}

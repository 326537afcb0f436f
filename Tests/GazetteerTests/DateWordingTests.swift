import Testing
@testable import Gazetteer

/// Dates, numbers and punctuation in each language, written by the one helper every output uses.
@Suite struct DateWordingTests {
    static func day(_ text: String) throws -> CalendarDate { try #require(CalendarDate(text)) }

    @Test func frenchDatesAreThePress() throws {
        #expect(DateWording.long(try Self.day("2023-10-21"), .fr) == "21 octobre 2023")
        #expect(DateWording.long(try Self.day("2023-08-01"), .fr) == "1er août 2023")
        #expect(DateWording.long(try Self.day("2024-02-29"), .fr) == "29 février 2024")
        #expect(DateWording.short(try Self.day("2023-12-08"), .fr) == "8 déc. 2023")
        #expect(DateWording.short(try Self.day("2024-07-22"), .fr) == "22 juil. 2024")
        #expect(DateWording.short(try Self.day("2023-05-01"), .fr) == "1er mai 2023")
        #expect(DateWording.monthAndYear(try Self.day("2023-07-01"), .fr) == "juillet 2023")
    }

    /// English is what every output already said: `longDescription` and the "3 Aug 2023" labels.
    @Test func englishIsUnchanged() throws {
        for text in ["2023-08-01", "2023-10-21", "2024-11-15", "0001-01-01", "9999-12-31"] {
            let d = try Self.day(text)
            #expect(DateWording.long(d, .en) == d.longDescription)
            #expect(d.longDescription(.en) == d.longDescription)
            #expect(DateWording.short(d, .en) == "\(d.day) \(d.monthAbbreviation) \(d.year)")
        }
        #expect(DateWording.long(try Self.day("2023-08-01"), .en) == "1 August 2023")
    }

    @Test func decimalsAndPunctuation() {
        #expect(DateWording.decimal("1.8", .fr) == "1,8")
        #expect(DateWording.decimal("1.8", .en) == "1.8")
        #expect(Punctuation.colon(.fr) == "\u{00A0}: ")
        #expect(Punctuation.semicolon(.fr) == "\u{00A0}; ")
        #expect(Punctuation.colon(.en) == ": ")
    }

    @Test func selectionsInFrench() throws {
        let filter = SiteFilter(phases: [.two, .one], regions: ["Gao"], openOn: try Self.day("2023-11-01"))
        #expect(filter.description(.fr) == "ouverts le 1er novembre 2023, phase 1 ou 2, région Gao")
        #expect(filter.description(.en) == filter.description)
        #expect(SiteFilter().description(.fr) == "tous les sites")
    }
}

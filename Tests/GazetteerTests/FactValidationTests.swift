import Testing
@testable import Gazetteer
import MinusmaData

/// Each rule of the fact files rejects a crafted bad file with a file:line:field message.
@Suite struct FactValidationTests {
    static let sites: Set<String> = ["ber", "gao"]
    static let eventHeader = "event_id,site_id,date,date_precision,kind,actor,summary_en,summary_fr,casualties,confidence,contested,version_a,version_b,sources"
    static let goodEvent = "e1,ber,2023-08-13,day,departure,MINUSMA,Left.,Parti.,,high,no,,,https://example.org/a"

    /// The message for a file of a good row then `row` (line 3), or nil when it loads.
    static func eventProblem(_ row: String) -> String? {
        do {
            _ = try FactReader.events(csv: [eventHeader, goodEvent, row].joined(separator: "\n") + "\n",
                                      file: "bad-events.csv", siteIDs: sites)
            return nil
        } catch {
            guard case let .rejected(report) = error else { return "\(error)" }
            return report.lines.joined(separator: "\n")
        }
    }

    @Test func goodFileLoads() throws {
        let events = try FactReader.events(csv: Self.eventHeader + "\n" + Self.goodEvent + "\n", file: "ok.csv", siteIDs: Self.sites)
        #expect(events.count == 1 && events[0].casualties == nil && events[0].versions == nil)
    }

    @Test(arguments: [
        ("e2,ber,2023-02-30,day,departure,MINUSMA,x,x,,high,no,,,s", "bad-events.csv:3: error: field 'date': found \"2023-02-30\", expected a date that exists, as YYYY-MM-DD"),
        ("e2,nowhere,2023-08-13,day,departure,MINUSMA,x,x,,high,no,,,s", "bad-events.csv:3: error: field 'site_id': found \"nowhere\", expected the id of a site of the gazetteer"),
        ("e2,ber,2023-08-13,week,departure,MINUSMA,x,x,,high,no,,,s", "bad-events.csv:3: error: field 'date_precision': found \"week\", expected one of day, month, approx"),
        ("e2,ber,2023-08-13,day,departure,MINUSMA,x,x,,high,no,,,", "bad-events.csv:3: error: field 'sources': found nothing, expected at least one source"),
        ("e2,ber,2023-08-13,day,departure,MINUSMA,x,x,,high,no,,, | ", "bad-events.csv:3: error: field 'sources': found nothing, expected at least one source"),
        ("e2,ber,2023-08-13,day,departure,MINUSMA,x,x,,high,yes,UN says so,,s", "bad-events.csv:3: error: field 'version_b': found nothing, expected both versions of the contested fact, each with who says it"),
        ("e2,ber,2023-08-13,day,departure,MINUSMA,x,x,,high,no,UN says so,,s", "bad-events.csv:3: error: field 'version_a': found \"UN says so\", expected no versions for a fact that is not contested (contested=yes)"),
        ("e2,ber,2023-08-13,day,departure,MINUSMA,x,x,,sure,no,,,s", "bad-events.csv:3: error: field 'confidence': found \"sure\", expected one of high, medium, low"),
        ("e2,ber,2023-08-13,day,parade,MINUSMA,x,x,,high,no,,,s", "bad-events.csv:3: error: field 'kind': found \"parade\", expected one of handover, departure, takeover, seizure, other, attack_on_convoy, attack_on_camp, equipment_destroyed, liquidation_milestone"),
        ("e2,ber,2023-08-13,day,departure,MINUSMA,,x,,high,no,,,s", "bad-events.csv:3: error: field 'summary_en': found nothing, expected a value"),
        ("e2,ber,2023-08-13,month,departure,MINUSMA,x,x,,high,no,,,s", "bad-events.csv:3: error: field 'date': found \"2023-08-13\", expected the 1st of the month for date_precision month"),
        ("e1,ber,2023-08-13,day,departure,MINUSMA,x,x,,high,no,,,s", "bad-events.csv:3: error: field 'event_id': found \"e1\", expected an id no other event has"),
    ])
    func eventRuleRejects(row: String, message: String) {
        #expect(Self.eventProblem(row) == message)
    }

    @Test func missingColumnIsNamed() {
        #expect(throws: GazetteerError.self) {
            try FactReader.events(csv: "event_id,site_id\ne1,ber\n", file: "short.csv", siteIDs: Self.sites)
        }
    }

    @Test func unterminatedQuoteIsReported() {
        let problem = Self.eventProblem("e2,ber,2023-08-13,day,departure,MINUSMA,\"x,x,,high,no,,,s")
        #expect(problem?.hasPrefix("bad-events.csv:3: error: found an unterminated quote") == true)
    }

    /// The fact files' CSV, cell by cell: a byte-order mark, quotes (doubled, around commas and
    /// line breaks), CRLF, text after a closing quote, a stray quote and the lines of records.
    @Test func factTableCells() {
        var report = ValidationReport(file: "t.csv")
        let text = "\u{FEFF}a,b,c\r\n\"x, \"\"y\"\"\",Sévaré,\"two\nlines\"\n\"q\"tail,,\n\nlast,\"\",z"
        let table = FactTable(text: text, file: "t.csv", report: &report)
        #expect(report.lines.isEmpty)
        #expect(table.header == ["a", "b", "c"])
        #expect(table.rows.map(\.cells) == [["x, \"y\"", "Sévaré", "two\nlines"], ["qtail", "", ""], ["last", "", "z"]])
        #expect(table.rows.map(\.line) == [2, 4, 6])
        var stray = ValidationReport(file: "s.csv")
        _ = FactTable(text: "a,b\nCamp \"Castor\",1\n", file: "s.csv", report: &stray)
        #expect(stray.lines.first?.hasPrefix("s.csv:2: error: found a quote inside an unquoted field") == true)
    }

    static let contingentHeader = "site_id,dataset,year,country,troops_estimate,estimate_basis,confidence,sources"

    static func contingentProblem(_ row: String) -> String? {
        do {
            _ = try FactReader.contingents(csv: contingentHeader + "\ngao,radpko,2019,Chad,10,mean,medium,s\n" + row + "\n",
                                           file: "bad-contingents.csv", siteIDs: sites)
            return nil
        } catch {
            guard case let .rejected(report) = error else { return "\(error)" }
            return report.lines.joined(separator: "\n")
        }
    }

    @Test(arguments: [
        ("timbuktu,radpko,2019,Chad,10,mean,medium,s", "bad-contingents.csv:3: error: field 'site_id': found \"timbuktu\", expected the id of a site of the gazetteer"),
        ("gao,acled,2019,Chad,10,mean,medium,s", "bad-contingents.csv:3: error: field 'dataset': found \"acled\", expected one of geo-pko-2.3, radpko"),
        ("gao,radpko,2031,Chad,10,mean,medium,s", "bad-contingents.csv:3: error: field 'year': found \"2031\", expected a year of the mission, 2013 to 2024"),
        ("gao,radpko,2019,Chad,-4,mean,medium,s", "bad-contingents.csv:3: error: field 'troops_estimate': found \"-4\", expected a whole number of 0 or more"),
        ("gao,radpko,2019,Chad,10,mean,medium,", "bad-contingents.csv:3: error: field 'sources': found nothing, expected at least one source"),
    ])
    func contingentRuleRejects(row: String, message: String) {
        #expect(Self.contingentProblem(row) == message)
    }

    @Test func contingentWithoutSizeLoads() {
        #expect(Self.contingentProblem("gao,radpko,2019,Chad,,mean,medium,s") == nil)
    }
}

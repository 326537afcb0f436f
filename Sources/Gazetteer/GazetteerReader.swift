/// Which rules a gazetteer must pass. The generic rules (well-formed CSV, required columns, unique
/// ids, dates that exist, coordinates in range, departure not before handover, closure date
/// consistent with them) apply to every file. The MINUSMA rules add what is true of the built-in
/// data only: 13 sites, closure orders 1..13 without gaps, closure dates in closure order, every
/// site inside Mali, and every fact with its source.
public enum ValidationProfile: Sendable {
    case generic
    case minusma
}

public struct ReadOptions: Sendable {
    public var profile: ValidationProfile
    /// Leave out rows that fail a row rule (counted, and reported as warnings) instead of
    /// rejecting the file. Duplicate ids are only known after the whole file has been read, so
    /// they still reject it.
    public var skipInvalid: Bool

    /// Limits that keep a hostile header or record from costing unbounded time or memory. A
    /// header needs far fewer than 10,000 columns (SQLite, behind GeoPackage, takes 2,000).
    public var maximumColumns = 10_000
    public var maximumHeaderBytes = 1 << 20
    /// Past this a record's end is unknown (usually a missing closing quote): the file is
    /// rejected, even with `skipInvalid`, since every later row would be lost.
    public var maximumRecordBytes = CSVRecordReader.maximumRecordBytes

    public init(profile: ValidationProfile = .generic, skipInvalid: Bool = false) {
        self.profile = profile
        self.skipInvalid = skipInvalid
    }
}

/// Reads a gazetteer CSV as a stream of validated sites. Problems go into `report`; a row with
/// an error is never returned. Call `finish()` after the last site: it runs the checks that need
/// the whole file and throws if the file is rejected.
public final class GazetteerReader {
    private enum Role {
        case field(SiteField)
        case extra(Int)
    }

    public let schema: GazetteerSchema
    @exclusivity(unchecked)
    public private(set) var report: ValidationReport
    /// Sites returned so far.
    @exclusivity(unchecked)
    public private(set) var siteCount = 0
    /// The file's header cells, as written.
    public let header: [String]

    private let csv: any RecordSource
    /// Turns projected input coordinates (`--data-crs`, a GeoJSON's `crs`) into WGS 84.
    private let projection: (any InputProjection)?
    /// Untyped extra columns whose first value looked like a date or a coordinate, checked once.
    @exclusivity(unchecked)
    private var contentHintsChecked = false
    public let options: ReadOptions
    private let roles: [Role]
    /// The column of each known field present in the file.
    private let columnIndex: [SiteField: Int]
    /// The required columns, looked up once.
    private let idColumn: Int, nameColumn: Int, latitudeColumn: Int, longitudeColumn: Int
    private let duplicates = DuplicateIdDetector()
    @exclusivity(unchecked)
    private var orderRows: [(order: Int?, closure: CalendarDate?, line: Int)] = []
    /// Records read, valid or not.
    @exclusivity(unchecked)
    private var recordCount = 0
    /// Records that failed a row rule.
    @exclusivity(unchecked)
    private var failedRows = 0
    @exclusivity(unchecked)
    private var finished = false
    /// A user's sites inside and outside Mali's bounding box, and the first of those outside.
    @exclusivity(unchecked)
    private var insideMali = 0, outsideMali = 0
    @exclusivity(unchecked)
    private var outsideMaliShown: [Diagnostic] = []

    public var displayName: String { csv.displayName }
    /// What the input was read as ("CSV, ';'-separated"; "GeoJSON").
    public var formatDescription: String { csv.formatDescription }

    /// Reads a CSV, its separator (`,` `;` or tab) sniffed from the header line.
    public convenience init(source: any ByteSource, options: ReadOptions = ReadOptions(),
                            projection: (any InputProjection)? = nil) throws(GazetteerError) {
        let csv = CSVRecordReader(source: source)
        try csv.sniffSeparator()
        try self.init(records: csv, options: options, projection: projection)
    }

    /// `fallbackTypes` type the columns whose header has no hint (from a CSV's `.csvt`).
    public init(records: any RecordSource, options: ReadOptions = ReadOptions(),
                projection: (any InputProjection)? = nil, fallbackTypes: [ValueType?]? = nil) throws(GazetteerError) {
        let csv = records
        self.csv = records
        self.projection = projection
        self.options = options
        let declaredTypes = records.columnTypes
        var report = ValidationReport(file: records.displayName)
        let file = records.displayName
        func headerError(_ found: String, _ expected: String, field: String? = nil) {
            report.add(Diagnostic(.error, file: file, line: 1, field: field, found: found, expected: expected))
        }

        let headerLimits = "a header row of at most \(options.maximumColumns) column names and \(CSVRecordReader.describe(bytes: options.maximumHeaderBytes))"
        csv.recordByteLimit = options.maximumHeaderBytes
        csv.fieldLimit = options.maximumColumns
        var step = try csv.next()
        while case .malformed(let line, let problem) = step, line == 1, declaredTypes == nil {
            headerError(csv.gaveUp ? "a header row longer than \(CSVRecordReader.describe(bytes: options.maximumHeaderBytes))" : problem,
                        headerLimits)
            step = try csv.next()
        }
        guard step == .record, report.errorCount == 0 else {
            if step == .end && report.errorCount == 0 { headerError("an empty file", "a header row of column names, then one row per site") }
            throw .rejected(report)
        }
        if csv.recordByteCount > options.maximumHeaderBytes {
            headerError("a header row of \(csv.recordByteCount) bytes", headerLimits)
            throw .rejected(report)
        }
        if csv.hasUnusualBytes {
            for i in 0..<csv.fieldCount {
                if let bad = CSVRecordReader.forbiddenCharacter(in: csv.rawField(i)) {
                    headerError(Self.describe(forbidden: bad) + " in column \(i + 1)", Self.allowedText)
                }
            }
            if report.errorCount > 0 { throw .rejected(report) }
        }

        var header: [String] = []
        var roles: [Role] = []
        var extras: [ExtraColumn] = []
        // A set, not a search of `extras`: a header of many columns must stay linear.
        var extraNames: Set<String> = []
        var seen: [SiteField: String] = [:]
        for i in 0..<csv.fieldCount {
            guard let raw = csv.string(i) else {
                headerError("bytes that are not UTF-8 in column \(i + 1)", "UTF-8 text")
                header.append("")
                roles.append(.extra(0))
                continue
            }
            let cell = raw.trimmingSpaces
            header.append(cell)
            var name = cell
            var hint: ValueType? = nil
            if let declaredTypes {
                hint = i < declaredTypes.count ? declaredTypes[i] : nil
            } else if let colon = cell.lastIndex(of: ":") {
                let suffix = cell[cell.index(after: colon)...].lowercased().trimmingSpaces
                if let t = ExtraColumn.typeHints[suffix] {
                    name = String(cell[..<colon]).trimmingSpaces
                    hint = t
                } else {
                    headerError("the type hint '\(suffix)' in column '\(cell)'",
                                "one of :text, :integer, :real, :date after a column name", field: cell)
                }
            }
            if hint == nil, let fallbackTypes, i < fallbackTypes.count { hint = fallbackTypes[i] }
            if name.isEmpty {
                headerError("an empty name for column \(i + 1)", "a column name")
                roles.append(.extra(0))
                continue
            }
            if let field = SiteField.matching(header: name) ?? (projection != nil ? SiteField.matchingProjected(header: name) : nil) {
                if let other = seen[field] {
                    headerError("columns '\(other)' and '\(cell)' that both mean \(field.name)",
                                "one column per field", field: cell)
                }
                seen[field] = cell
                roles.append(.field(field))
            } else {
                if !extraNames.insert(name).inserted {
                    headerError("the column name '\(name)' twice", "unique column names", field: cell)
                }
                roles.append(.extra(extras.count))
                extras.append(ExtraColumn(name: name, valueType: hint ?? .text))
                if hint == nil || hint == .text, let advice = ColumnAdvice.forName(name, projected: projection != nil) {
                    report.add(Diagnostic(.warning, file: file, line: 1, field: cell, found: advice.found, expected: advice.expected))
                }
            }
        }
        let missing = SiteField.required.filter { seen[$0] == nil }
        if !missing.isEmpty {
            headerError("no column for \(missing.map(\.name).joined(separator: ", ")) among "
                        + header.prefix(8).map { "'\(Self.clip($0))'" }.joined(separator: ", ") + (header.count > 8 ? ", ..." : "")
                        + " (read as \(csv.formatDescription))",
                        ColumnAdvice.requiredColumns(missing, header: header))
        }
        if report.errorCount > 0 { throw .rejected(report) }

        var fields = Array(seen.keys)
        // The map closure day is derived when only the handover or departure columns exist.
        if seen[.handoverDate] != nil || seen[.lastDepartureDate] != nil { fields.append(.closureDate) }
        self.schema = GazetteerSchema(fields: fields, extras: extras)
        self.header = header
        self.roles = roles
        var columnIndex: [SiteField: Int] = [:]
        for (i, role) in roles.enumerated() {
            if case .field(let f) = role { columnIndex[f] = i }
        }
        self.columnIndex = columnIndex
        idColumn = columnIndex[.id]!
        nameColumn = columnIndex[.name]!
        latitudeColumn = columnIndex[.latitude]!
        longitudeColumn = columnIndex[.longitude]!
        self.report = report
        csv.recordByteLimit = options.maximumRecordBytes
        // Rows with a few fields too many are reported with their count; far more is hostile.
        csv.fieldLimit = roles.count + 1000
    }

    /// The next valid site, or nil at the end of the file.
    public func next() throws(GazetteerError) -> Site? {
        while true {
            switch try csv.next() {
            case .end:
                return nil
            case .malformed(let line, let problem):
                recordCount += 1
                let diagnostic = Diagnostic(.error, file: displayName, line: line, field: nil, found: problem,
                                            expected: csv.wellFormedRecord, locator: csv.recordLocator)
                if csv.gaveUp {
                    // Where this record ends is unknown: stop with an error rather than drop the rest.
                    report.add(Diagnostic(.error, file: displayName, line: line, field: nil, found: problem,
                                          expected: csv.stopExpectation ?? ("a record of at most \(CSVRecordReader.describe(bytes: options.maximumRecordBytes)); "
                                                  + "the rows after it were not read"), locator: csv.recordLocator))
                    throw .rejected(report)
                }
                rowFailed([diagnostic])
            case .record:
                recordCount += 1
                var problems: [Diagnostic] = []
                if csv.hasUnusualBytes { findForbiddenCharacters(&problems) }
                guard problems.isEmpty else {
                    rowFailed(problems)
                    continue
                }
                let site = decodeRecord(&problems)
                if !contentHintsChecked { contentHintsChecked = true; adviseOnContent() }
                guard problems.isEmpty else {
                    rowFailed(problems)
                    continue
                }
                var id = site.id
                id.withUTF8 { duplicates.add($0, line: site.line) }
                if options.profile == .minusma {
                    orderRows.append((site.closureOrder, site.closureDate, site.line))
                }
                siteCount += 1
                return site
            }
        }
    }

    private func rowFailed(_ problems: [Diagnostic]) {
        failedRows += 1
        if options.skipInvalid {
            report.skippedRows += 1
            for p in problems {
                report.add(Diagnostic(.warning, file: p.file, line: p.line, field: p.field,
                                      found: p.found, expected: p.expected + " (row skipped)"))
            }
        } else {
            for p in problems { report.add(p) }
        }
    }

    /// Runs the whole-file checks. Returns the report (with any warnings) when the file passes;
    /// throws `.rejected` otherwise.
    @discardableResult
    public func finish() throws(GazetteerError) -> ValidationReport {
        if !finished {
            finished = true
            let file = displayName
            try duplicates.findDuplicates { id, first, line in
                report.add(Diagnostic(.error, file: file, line: line, field: "id",
                                      found: "\"\(Self.clip(id))\" again (first on line \(first))", expected: "a unique id"))
            }
            if options.profile == .minusma { checkMinusmaCollection() }
            if outsideMali > 0 && insideMali > outsideMali {
                report.add(outsideMaliShown, standingFor: outsideMali)
            }
        }
        if report.isRejected { throw .rejected(report) }
        return report
    }

    private func checkMinusmaCollection() {
        let file = displayName
        let expectedCount = 13
        if recordCount != expectedCount {
            report.add(Diagnostic(.error, file: file, line: 0, field: nil,
                                  found: "\(recordCount) sites", expected: "the \(expectedCount) MINUSMA sites"))
        }
        // With rows missing, gaps in the order would be reported for the wrong reason.
        guard failedRows == 0 else { return }
        var byOrder: [Int: Int] = [:]  // order -> line
        for row in orderRows {
            guard let order = row.order else { continue }
            if let first = byOrder[order] {
                report.add(Diagnostic(.error, file: file, line: row.line, field: "closure_order",
                                      found: "\(order) again (first on line \(first))", expected: "each order used once"))
            } else {
                byOrder[order] = row.line
            }
        }
        let n = orderRows.count
        for order in 1...max(n, 1) where byOrder[order] == nil && n > 0 {
            report.add(Diagnostic(.error, file: file, line: 0, field: "closure_order",
                                  found: "no site with order \(order)", expected: "orders 1..\(n) without gaps"))
        }
        for row in orderRows {
            if let order = row.order, order > n {
                report.add(Diagnostic(.error, file: file, line: row.line, field: "closure_order",
                                      found: "\(order)", expected: "an order in 1..\(n) (there are \(n) sites)"))
            }
        }
        let ordered = orderRows.filter { $0.order != nil && $0.closure != nil }.sorted { $0.order! < $1.order! }
        for (a, b) in zip(ordered, ordered.dropFirst()) where b.closure! < a.closure! {
            report.add(Diagnostic(.error, file: file, line: b.line, field: "closure_date",
                                  found: "\(b.closure!) for closure order \(b.order!)",
                                  expected: "a day on or after \(a.closure!), the closure of order \(a.order!) (line \(a.line))"))
        }
    }

    static let allowedText = "text without NUL, U+FFFE, U+FFFF or control characters other than tab and line breaks"

    static func describe(forbidden: (offset: Int, scalar: UInt32)) -> String {
        let hex = String(forbidden.scalar, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let what: String
        switch forbidden.scalar {
        case 0: what = "NUL"
        case 0x1B: what = "ESC, which starts terminal escape codes"
        case 0xFFFE, 0xFFFF: what = "a noncharacter"
        default: what = "a control character"
        }
        return "the character \(code) (\(what)) at byte \(forbidden.offset + 1) of the value"
    }

    /// Reports every field of the current record holding a character no output may carry.
    private func findForbiddenCharacters(_ problems: inout [Diagnostic]) {
        for i in 0..<csv.fieldCount {
            guard let bad = CSVRecordReader.forbiddenCharacter(in: csv.rawField(i)) else { continue }
            problems.append(Diagnostic(.error, file: displayName, line: csv.recordLine,
                                       field: i < header.count ? header[i] : "column \(i + 1)",
                                       found: Self.describe(forbidden: bad), expected: Self.allowedText, locator: csv.recordLocator))
        }
    }

    public static func clipped(_ s: String) -> String { clip(s) }

    static func clip(_ s: String) -> String {
        s.count > 60 ? String(s.prefix(57)) + "..." : s
    }

    // MARK: - One record

    private func decodeRecord(_ problems: inout [Diagnostic]) -> Site {
        let line = csv.recordLine
        let file = displayName
        // Worded only for a message: most records have none.
        func error(_ column: Int?, _ found: String, _ expected: String) {
            problems.append(Diagnostic(.error, file: file, line: line, field: column.map { header[$0] },
                                       found: found, expected: expected, locator: csv.recordLocator))
        }
        guard csv.fieldCount == roles.count else {
            error(nil, "\(csv.fieldCount) field\(csv.fieldCount == 1 ? "" : "s")",
                  "\(roles.count) fields, as in the header (\(csv.separatorInValue) inside a value needs quotes)")
            return Site(id: "", name: "", line: line)
        }
        var site = Site(id: "", name: "", line: line)
        if !schema.extras.isEmpty { site.extras = Array(repeating: nil, count: schema.extras.count) }
        var longitude: Double? = nil, latitude: Double? = nil

        for (i, role) in roles.enumerated() {
            if csv.isEmpty(i) { continue }
            let raw = csv.rawField(i)
            func quoted() -> String {
                "\"" + Self.clip(csv.string(i) ?? String(decoding: raw, as: UTF8.self)) + "\""
            }
            switch role {
            case .extra(let index):
                let kind = schema.extras[index].valueType
                switch kind {
                case .integer where DecimalParsing.integer(raw) == nil:
                    error(i, quoted(), "an integer (the column is typed :integer)")
                case .real where number(raw) == nil:
                    error(i, quoted(), "a number (the column is typed :real)")
                case .date where CalendarDate(utf8: Self.trimmed(raw)) == nil:
                    error(i, quoted(), "a date that exists, as YYYY-MM-DD (the column is typed :date)")
                default:
                    if Self.isBlank(raw) { continue }
                    guard let text = kind == .text || csv.hasEscapes(i) ? csv.string(i) : Self.string(Self.trimmed(raw)) else {
                        error(i, "bytes that are not UTF-8", "UTF-8 text"); continue
                    }
                    // Extras keep their text; a decimal comma becomes the point every writer expects.
                    site.extras[index] = kind == .real && csv.decimalComma ? String(text.map { $0 == "," ? "." : $0 }) : text
                }
            case .field(let field):
                switch field.valueType {
                case .real:
                    guard let v = number(raw) else { error(i, quoted(), "a decimal number"); continue }
                    switch field {
                    case .longitude where projection != nil: longitude = v
                    case .latitude where projection != nil: latitude = v
                    case .longitude:
                        if v < -180 || v > 180 { error(i, quoted(), "a longitude in [-180, 180] degrees") } else { longitude = v }
                    case .latitude:
                        if v < -90 || v > 90 { error(i, quoted(), "a latitude in [-90, 90] degrees") } else { latitude = v }
                    default:
                        if v < 0 { error(i, quoted(), "a distance of 0 metres or more") } else { site.coordUncertaintyM = v }
                    }
                case .integer:
                    guard let v = DecimalParsing.integer(raw), v >= 1 else {
                        error(i, quoted(), "a whole number of 1 or more"); continue
                    }
                    site.closureOrder = v
                case .date:
                    guard let d = CalendarDate(utf8: Self.trimmed(raw)) else {
                        error(i, quoted(), "a date that exists, as YYYY-MM-DD"); continue
                    }
                    switch field {
                    case .openingDate: site.openingDate = d
                    case .handoverDate: site.handoverDate = d
                    case .lastDepartureDate: site.lastDepartureDate = d
                    default: site.closureDate = d
                    }
                case .textList:
                    guard let items = Self.listItems(csv, i) else { error(i, "bytes that are not UTF-8", "UTF-8 text"); continue }
                    switch field {
                    case .altNames: site.altNames = items
                    case .dateSources: site.dateSources = items
                    default: site.coordSources = items
                    }
                case .text:
                    if field == .phase {
                        guard let p = Phase(text: String(decoding: raw, as: UTF8.self)) else {
                            error(i, quoted(), "a phase: 1, 2 or liquidation"); continue
                        }
                        site.phase = p
                        continue
                    }
                    if Self.isBlank(raw) { continue }
                    // Ids are trimmed (a stray space must not make two ids differ); texts are kept as written.
                    guard let value = field == .id && !csv.hasEscapes(i) ? Self.string(Self.trimmed(raw)) : csv.string(i) else {
                        error(i, "bytes that are not UTF-8", "UTF-8 text"); continue
                    }
                    switch field {
                    case .id: site.id = value
                    case .name: site.name = value
                    case .nameEn: site.nameEn = value
                    case .region: site.region = value
                    case .cercle: site.cercle = value
                    case .siteType: site.siteType = value
                    case .contingent: site.contingent = value
                    case .coordKind: site.coordKind = value
                    case .coordConfidence: site.coordConfidence = value
                    case .dateConfidence: site.dateConfidence = value
                    case .notes: site.notes = value
                    default: break
                    }
                }
            }
        }

        let idColumn = self.idColumn, nameColumn = self.nameColumn
        let latitudeColumn = self.latitudeColumn, longitudeColumn = self.longitudeColumn
        if let p = csv.recordPosition {
            // Numbers the source holds as numbers, checked as the text fields are.
            if !p.x.isFinite || !p.y.isFinite {
                error(longitudeColumn, "\(p.x), \(p.y) (x, y)", "a position of finite numbers")
            } else if projection != nil {
                longitude = p.x
                latitude = p.y
            } else if p.x < -180 || p.x > 180 {
                error(longitudeColumn, "\(p.x)", "a longitude in [-180, 180] degrees")
            } else if p.y < -90 || p.y > 90 {
                error(latitudeColumn, "\(p.y)", "a latitude in [-90, 90] degrees")
            } else {
                longitude = p.x
                latitude = p.y
            }
        }
        if site.id.isEmpty, !problems.contains(where: { $0.field == header[idColumn] }) {
            error(idColumn, "an empty id", "an id")
        }
        if site.name.isEmpty, !problems.contains(where: { $0.field == header[nameColumn] }) {
            error(nameColumn, "an empty name", "a name")
        }

        // Coordinates: both or neither.
        switch (longitude, latitude) {
        case let (x?, y?) where projection != nil:
            if let p = projection?.toWGS84(x: x, y: y), p.longitude >= -180, p.longitude <= 180, p.latitude >= -90, p.latitude <= 90 {
                site.position = GeoPosition(longitude: p.longitude, latitude: p.latitude)
            } else {
                error(longitudeColumn, "\(x), \(y) (x, y)", "a position that \(projection?.crsName ?? "the input CRS") can turn into WGS 84 longitude and latitude")
            }
        case let (lon?, lat?):
            site.position = GeoPosition(longitude: lon, latitude: lat)
        case (nil, nil):
            break
        case (_?, nil):
            if csv.isEmpty(latitudeColumn) {
                error(latitudeColumn, "an empty latitude next to a longitude", "both coordinates or neither")
            }
        case (nil, _?):
            if csv.isEmpty(longitudeColumn) {
                error(longitudeColumn, "an empty longitude next to a latitude", "both coordinates or neither")
            }
        }

        // Dates that must agree.
        if let h = site.handoverDate, let d = site.lastDepartureDate, d < h {
            error(columnIndex[.lastDepartureDate], "\(d)", "a day on or after the handover (\(h))")
        }
        if let derived = site.handoverDate ?? site.lastDepartureDate {
            if let given = site.closureDate, given != derived {
                error(columnIndex[.closureDate], "\(given)",
                      "\(derived), the \(site.handoverDate != nil ? "handover" : "last departure") date (the closure day is the handover, else the departure)")
            }
            site.closureDate = derived
        }
        if let o = site.openingDate, let c = site.closureDate, c < o {
            error(columnIndex[.closureDate], "\(c)", "a day on or after the opening (\(o))")
        }

        if let p = site.position, !GeoBox.mali.contains(p) {
            let where_ = "\(p.longitude), \(p.latitude) (lon, lat)"
            let expected = "a position inside Mali's bounding box (lon -12.27..4.24, lat 10.14..25.00)"
            if options.profile == .minusma {
                error(latitudeColumn, where_, expected)
            } else {
                // A user's file is warned about only if most of its sites are in Mali (see
                // `finish()`): a gazetteer of somewhere else is not Mali's with mistakes.
                outsideMali += 1
                if outsideMaliShown.count < ValidationReport.shownLimit {
                    outsideMaliShown.append(Diagnostic(.warning, file: file, line: line, field: header[latitudeColumn],
                                                       found: where_, expected: expected + ", where most of the file's sites are",
                                                       locator: csv.recordLocator))
                }
            }
        } else if site.position != nil {
            insideMali += 1
        }
        if options.profile == .minusma { checkMinusmaRow(site, error) }
        return site
    }

    /// The MINUSMA data must say when, where, and how it knows.
    private func checkMinusmaRow(_ site: Site, _ error: (Int?, String, String) -> Void) {
        func require(_ f: SiteField, _ present: Bool, _ what: String) {
            if !present { error(columnIndex[f], "no \(f.name)", what) }
        }
        require(.closureOrder, site.closureOrder != nil, "the site's rank in the order of closure")
        require(.closureDate, site.closureDate != nil, "a closure date (a handover or departure date)")
        require(.phase, site.phase != nil, "the withdrawal phase")
        require(.region, site.region != nil, "the region")
        require(.dateSources, !site.dateSources.isEmpty, "the sources of the dates")
        if site.position != nil {
            require(.coordKind, site.coordKind != nil, "what the coordinate is")
            require(.coordUncertaintyM, site.coordUncertaintyM != nil, "the coordinate's uncertainty in metres")
            require(.coordSources, !site.coordSources.isEmpty, "the sources of the coordinate")
        }
    }

    /// The items of a list cell (` | `-separated), trimmed, empty ones dropped; nil if not UTF-8.
    private static func listItems(_ csv: any RecordSource, _ i: Int) -> [String]? {
        guard let text = csv.string(i) else { return nil }
        var items: [String] = []
        var utf8 = Array(text.utf8)[...]
        while !utf8.isEmpty {
            let bar = utf8.firstIndex(of: UInt8(ascii: "|")) ?? utf8.endIndex
            var item = utf8[utf8.startIndex..<bar]
            while let f = item.first, f == 32 || f == 9 { item = item.dropFirst() }
            while let l = item.last, l == 32 || l == 9 { item = item.dropLast() }
            if !item.isEmpty { items.append(String(decoding: item, as: UTF8.self)) }
            utf8 = bar < utf8.endIndex ? utf8[(bar + 1)...] : utf8[utf8.endIndex...]
        }
        return items
    }

    /// Only spaces and tabs, or nothing.
    /// A number, with a decimal comma accepted where the source allows it (a `;` CSV).
    private func number(_ raw: UnsafeBufferPointer<UInt8>) -> Double? {
        if let v = DecimalParsing.double(raw) { return v }
        guard csv.decimalComma, raw.count <= 64, let comma = raw.firstIndex(of: UInt8(ascii: ",")),
              !raw.contains(UInt8(ascii: ".")) else { return nil }
        var copy = Array(raw)
        copy[comma] = UInt8(ascii: ".")
        return copy.withUnsafeBufferPointer { DecimalParsing.double($0) }
    }

    /// Warns once, on the first record, about untyped extra columns whose value looks like a
    /// date or a coordinate: they would pass through as text.
    private func adviseOnContent() {
        for (i, role) in roles.enumerated() {
            guard case .extra(let index) = role, schema.extras[index].valueType == .text, i < csv.fieldCount,
                  !csv.isEmpty(i), ColumnAdvice.forName(schema.extras[index].name, projected: projection != nil) == nil else { continue }
            let raw = Self.trimmed(csv.rawField(i))
            if let advice = ColumnAdvice.forValue(raw, column: schema.extras[index].name, isNumber: number(raw) != nil) {
                report.add(Diagnostic(.warning, file: displayName, line: csv.recordLine, field: header[i],
                                      found: advice.found, expected: advice.expected, locator: csv.recordLocator))
            }
        }
    }

    private static func isBlank(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for c in b where c != 32 && c != 9 { return false }
        return true
    }

    private static func string(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        UTF8Text.string(b)
    }

    private static func trimmed(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let (i, n) = DecimalParsing.trimmedBounds(b)
        return UnsafeBufferPointer(rebasing: b[i..<n])
    }
}

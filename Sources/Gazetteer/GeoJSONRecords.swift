/// The features of a GeoJSON FeatureCollection as records: a column per property (in order of
/// first appearance in the first `lookahead` features, typed from their JSON values), then
/// `longitude` and `latitude` from the Point geometry, as written (no digit is changed).
/// Properties that name a coordinate (`longitude`, `lat`...) are left out: the geometry is the
/// position.
public final class GeoJSONRecordSource: RecordSource {
    private static let bytesType = Array("type".utf8), bytesCoordinates = Array("coordinates".utf8)
    private static let bytesProperties = Array("properties".utf8), bytesName = Array("name".utf8)
    private static let bytesFeature = Array("Feature".utf8), bytesGeometry = Array("geometry".utf8)
    private static let bytesPoint = Array("Point".utf8)

    /// Features read ahead to find the columns and their types.
    static let lookahead = 1000

    enum Kind { case string, number(integer: Bool), other, null }

    /// One feature, parsed. Property names and values are ranges of two byte buffers, so a
    /// feature read after the look-ahead reuses the same storage and allocates nothing.
    struct Parsed {
        var index = 0, offset = 0, line = 0
        var properties: [(keyRange: Range<Int>, kind: Kind, range: Range<Int>)] = []
        var keyBytes: [UInt8] = []
        var bytes: [UInt8] = []
        var x: Range<Int>?, y: Range<Int>?
        var problem: String?

        func key(_ k: Int) -> String { String(decoding: keyBytes[properties[k].keyRange], as: UTF8.self) }

        func keyEquals(_ k: Int, _ name: [UInt8]) -> Bool {
            let r = properties[k].keyRange
            return r.count == name.count && keyBytes[r].elementsEqual(name)
        }

        mutating func reset(index: Int, offset: Int, line: Int) {
            self.index = index; self.offset = offset; self.line = line
            properties.removeAll(keepingCapacity: true)
            keyBytes.removeAll(keepingCapacity: true)
            bytes.removeAll(keepingCapacity: true)
            x = nil; y = nil; problem = nil
        }
    }

    public let displayName: String
    /// The `crs` member's name, unless it is WGS 84 longitude/latitude.
    @exclusivity(unchecked)
    public private(set) var declaredCRS: String?
    public var formatDescription: String { "GeoJSON" + (declaredCRS.map { ", coordinates in \($0)" } ?? "") }
    @exclusivity(unchecked)
    public private(set) var columnTypes: [ValueType?]?
    public var wellFormedRecord: String { "a GeoJSON Feature with a Point or null geometry and properties of strings, numbers, booleans, nulls or arrays of them" }
    public var stopExpectation: String? { "a well-formed GeoJSON document (RFC 8259); the features after this point were not read" }

    private let scanner: JSONScanner
    @exclusivity(unchecked)
    private var names: [String] = []
    @exclusivity(unchecked)
    private var nameBytes: [[UInt8]] = []
    /// The feature being read once the look-ahead is used up.
    @exclusivity(unchecked)
    private var current = Parsed()
    @exclusivity(unchecked)
    private var scratch: [UInt8] = []
    @exclusivity(unchecked)
    private var columnOfKey: [String: Int] = [:]
    @exclusivity(unchecked)
    private var dropped: Set<String> = []
    @exclusivity(unchecked)
    private var longitudeColumn = 0, latitudeColumn = 0
    @exclusivity(unchecked)
    private var pending: [Parsed] = []
    @exclusivity(unchecked)
    private var pendingIndex = 0
    @exclusivity(unchecked)
    private var featureCount = 0
    @exclusivity(unchecked)
    private var featuresEnded = false
    @exclusivity(unchecked)
    private var headerSent = false
    @exclusivity(unchecked)
    private var finished = false

    /// Allocated on first use, not in the initialiser: an initialiser that throws runs no deinit.
    @exclusivity(unchecked)
    private var arena = UnsafeMutableBufferPointer<UInt8>(start: nil, count: 0)
    @exclusivity(unchecked)
    private var starts: [Int] = [], ends: [Int] = []
    @exclusivity(unchecked)
    private var ranges: [Range<Int>] = []
    @exclusivity(unchecked)
    public private(set) var recordLine = 0
    @exclusivity(unchecked)
    public private(set) var recordPlace = RecordPlace.none
    @exclusivity(unchecked)
    public private(set) var hasUnusualBytes = false
    @exclusivity(unchecked)
    public private(set) var gaveUp = false
    public var recordByteCount: Int { 0 }
    public var recordByteLimit = Int.max
    public var fieldLimit = Int.max

    /// `reopen` opens the same document again from its start, for the pass that finds the
    /// properties the look-ahead did not see; without it (standard input), the columns are those
    /// of the first `lookahead` features.
    public init(source: any ByteSource, reopen: (() -> (any ByteSource)?)? = nil) throws(GazetteerError) {
        displayName = source.displayName
        scanner = JSONScanner(source: source)
        do {
            try scanner.skipByteOrderMark()
            try readUpToFeatures()
            var feature = Parsed()
            while pending.count < Self.lookahead, try nextFeature(into: &feature) { pending.append(feature) }
        } catch {
            var report = ValidationReport(file: displayName)
            report.add(Diagnostic(.error, file: displayName, line: error.line, field: nil, found: error.problem,
                                  expected: "a GeoJSON FeatureCollection (RFC 7946)", locator: "byte \(error.offset)"))
            throw .rejected(report)
        }
        var laterNames: [String] = []
        if !featuresEnded, var again = reopen?() {
            laterNames = GeoJSONKeyScan.propertyNames(of: &again) ?? []
            lateColumnsKnown = true
        }
        findColumns(laterNames: laterNames)
    }

    /// Whether every feature's property names were found before reading (not only the look-ahead's).
    @exclusivity(unchecked)
    private var lateColumnsKnown = false

    deinit { if arena.baseAddress != nil { arena.deallocate() } }

    // MARK: - The document around the features

    private func readUpToFeatures() throws(JSONScanner.Failure) {
        try scanner.expect(UInt8(ascii: "{"), "a JSON object (a FeatureCollection)")
        var key: [UInt8] = []
        var sawType = false
        if try scanner.consume(UInt8(ascii: "}")) { throw scanner.fail("an empty object, without \"features\"") }
        repeat {
            key.removeAll(keepingCapacity: true)
            try scanner.readString(into: &key)
            try scanner.expect(UInt8(ascii: ":"), "':' after a member name")
            switch String(decoding: key, as: UTF8.self) {
            case "type": try checkType(); sawType = true
            case "crs": try readCRS()
            case "features":
                try scanner.expect(UInt8(ascii: "["), "the array of features")
                featuresEnded = try scanner.consume(UInt8(ascii: "]"))
                _ = sawType
                return
            default: try scanner.skipValue()
            }
        } while try scanner.separatorOrEnd(UInt8(ascii: "}"), "the FeatureCollection")
        throw scanner.fail("a JSON object without a \"features\" member (a FeatureCollection was expected)")
    }

    private func checkType() throws(JSONScanner.Failure) {
        var value: [UInt8] = []
        let at = scanner.fail("")
        try scanner.readString(into: &value)
        let type = String(decoding: value, as: UTF8.self)
        if type != "FeatureCollection" {
            throw JSONScanner.Failure(offset: at.offset, line: at.line,
                                      problem: "\"type\": \"\(GazetteerReader.clip(type))\" (a FeatureCollection was expected; wrap a single Feature in one)")
        }
    }

    /// The legacy `{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32630"}}`.
    private func readCRS() throws(JSONScanner.Failure) {
        if (try? scanner.peekToken()) == UInt8(ascii: "n") { _ = try scanner.readLiteral(); return }
        try scanner.expect(UInt8(ascii: "{"), "a crs object")
        var key: [UInt8] = [], value: [UInt8] = []
        if try scanner.consume(UInt8(ascii: "}")) { return }
        repeat {
            key.removeAll(keepingCapacity: true)
            try scanner.readString(into: &key)
            try scanner.expect(UInt8(ascii: ":"), "':' after a member name")
            if key == Self.bytesProperties, (try? scanner.peekToken()) == UInt8(ascii: "{") {
                try scanner.expect(UInt8(ascii: "{"), "the crs properties")
                if try scanner.consume(UInt8(ascii: "}")) { continue }
                repeat {
                    key.removeAll(keepingCapacity: true)
                    try scanner.readString(into: &key)
                    try scanner.expect(UInt8(ascii: ":"), "':' after a member name")
                    if key == Self.bytesName, (try? scanner.peekToken()) == UInt8(ascii: "\"") {
                        try scanner.readString(into: &value)
                    } else {
                        try scanner.skipValue()
                    }
                } while try scanner.separatorOrEnd(UInt8(ascii: "}"), "the crs properties")
            } else {
                try scanner.skipValue()
            }
        } while try scanner.separatorOrEnd(UInt8(ascii: "}"), "the crs object")
        let name = String(decoding: value, as: UTF8.self)
        let upper = name.uppercased()
        let isWGS84 = upper.hasSuffix("CRS84") || upper.hasSuffix("EPSG::4326") || upper == "EPSG:4326" || name.isEmpty
        declaredCRS = isWGS84 ? nil : name
    }

    /// After the last feature: the remaining members, then nothing but white space.
    private func readAfterFeatures() throws(JSONScanner.Failure) {
        var key: [UInt8] = []
        while try scanner.separatorOrEnd(UInt8(ascii: "}"), "the FeatureCollection") {
            key.removeAll(keepingCapacity: true)
            try scanner.readString(into: &key)
            try scanner.expect(UInt8(ascii: ":"), "':' after a member name")
            switch String(decoding: key, as: UTF8.self) {
            case "type": try checkType()
            case "crs": throw scanner.fail("a \"crs\" member after the features (it must come before them to apply)")
            default: try scanner.skipValue()
            }
        }
        if let rest = try? scanner.peekToken() { throw scanner.fail("\(scanner.describe(rest)) after the end of the document") }
    }

    // MARK: - Features

    /// Reads the next feature into `feature`; false after the last one.
    private func nextFeature(into feature: inout Parsed) throws(JSONScanner.Failure) -> Bool {
        if featuresEnded { return false }
        if featureCount > 0, try !scanner.separatorOrEnd(UInt8(ascii: "]"), "the array of features") {
            featuresEnded = true
            return false
        }
        _ = try? scanner.peekToken()
        feature.reset(index: featureCount, offset: scanner.offset, line: scanner.line)
        featureCount += 1
        try readFeature(into: &feature)
        return true
    }

    private func readFeature(into f: inout Parsed) throws(JSONScanner.Failure) {
        try scanner.expect(UInt8(ascii: "{"), "a Feature object")
        var key: [UInt8] = []
        var sawGeometry = false
        if try scanner.consume(UInt8(ascii: "}")) { f.problem = "an empty object"; return }
        repeat {
            key.removeAll(keepingCapacity: true)
            try scanner.readString(into: &key)
            try scanner.expect(UInt8(ascii: ":"), "':' after a member name")
            if key == Self.bytesType {
                scratch.removeAll(keepingCapacity: true)
                if (try? scanner.peekToken()) == UInt8(ascii: "\"") { try scanner.readString(into: &scratch) } else { try scanner.skipValue() }
                if scratch != Self.bytesFeature { f.problem = f.problem ?? "\"type\": \"\(String(decoding: scratch, as: UTF8.self))\" where \"Feature\" was expected" }
            } else if key == Self.bytesProperties {
                try readProperties(into: &f)
            } else if key == Self.bytesGeometry {
                sawGeometry = true
                try readGeometry(into: &f)
            } else {
                try scanner.skipValue()
            }
        } while try scanner.separatorOrEnd(UInt8(ascii: "}"), "a Feature")
        if !sawGeometry { f.problem = f.problem ?? "a Feature without a \"geometry\" member (null is allowed)" }
    }

    private func readProperties(into f: inout Parsed) throws(JSONScanner.Failure) {
        if (try? scanner.peekToken()) == UInt8(ascii: "n") { _ = try scanner.readLiteral(); return }
        try scanner.expect(UInt8(ascii: "{"), "the properties object")
        if try scanner.consume(UInt8(ascii: "}")) { return }
        repeat {
            let keyStart = f.keyBytes.count
            try scanner.readString(into: &f.keyBytes)
            try scanner.expect(UInt8(ascii: ":"), "':' after a property name")
            let start = f.bytes.count
            let kind = try readValue(into: &f, keyRange: keyStart..<f.keyBytes.count)
            f.properties.append((keyStart..<f.keyBytes.count, kind, start..<f.bytes.count))
        } while try scanner.separatorOrEnd(UInt8(ascii: "}"), "the properties")
    }

    /// A property's value as cell text: strings decoded, numbers as written, booleans as words,
    /// arrays joined with ` | `, null empty.
    private func readValue(into f: inout Parsed, keyRange: Range<Int>) throws(JSONScanner.Failure) -> Kind {
        func name() -> String { String(decoding: f.keyBytes[keyRange], as: UTF8.self) }
        let next = try? scanner.peekToken()
        switch next {
        case UInt8(ascii: "\""): try scanner.readString(into: &f.bytes); return .string
        case UInt8(ascii: "["):
            try scanner.expect(UInt8(ascii: "["), "an array")
            if try scanner.consume(UInt8(ascii: "]")) { return .other }
            var first = true
            repeat {
                if !first { f.bytes.append(contentsOf: " | ".utf8) }
                first = false
                let element = try? scanner.peekToken()
                switch element {
                case UInt8(ascii: "\""): try scanner.readString(into: &f.bytes)
                case let c? where c == UInt8(ascii: "-") || (c >= 48 && c <= 57): try scanner.readNumber(into: &f.bytes)
                default:
                    try scanner.skipValue()
                    f.problem = f.problem ?? "an array holding \(scanner.describe(element ?? nil)) in property '\(name())', where strings or numbers were expected"
                }
            } while try scanner.separatorOrEnd(UInt8(ascii: "]"), "an array")
            return .other
        case UInt8(ascii: "{"):
            try scanner.skipValue()
            f.problem = f.problem ?? "an object as the value of property '\(name())', where a string, number, boolean, null or array was expected"
            return .null
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            let word = try scanner.readLiteral()
            if word == "null" { return .null }
            f.bytes.append(contentsOf: word.utf8)
            return .other
        default:
            return .number(integer: try scanner.readNumber(into: &f.bytes))
        }
    }

    private func readGeometry(into f: inout Parsed) throws(JSONScanner.Failure) {
        if (try? scanner.peekToken()) == UInt8(ascii: "n") { _ = try scanner.readLiteral(); return }
        try scanner.expect(UInt8(ascii: "{"), "a geometry object or null")
        var key: [UInt8] = [], type: [UInt8] = []
        var numbers: [Range<Int>] = []
        var nested = false
        if try scanner.consume(UInt8(ascii: "}")) { f.problem = f.problem ?? "an empty geometry object"; return }
        repeat {
            key.removeAll(keepingCapacity: true)
            try scanner.readString(into: &key)
            try scanner.expect(UInt8(ascii: ":"), "':' after a member name")
            if key == Self.bytesType, (try? scanner.peekToken()) == UInt8(ascii: "\"") {
                try scanner.readString(into: &type)
            } else if key == Self.bytesCoordinates, (try? scanner.peekToken()) == UInt8(ascii: "[") {
                try scanner.expect(UInt8(ascii: "["), "coordinates")
                if try scanner.consume(UInt8(ascii: "]")) { continue }
                repeat {
                    if (try? scanner.peekToken()) == UInt8(ascii: "[") { nested = true; try scanner.skipValue(); continue }
                    let start = f.bytes.count
                    try scanner.readNumber(into: &f.bytes)
                    numbers.append(start..<f.bytes.count)
                } while try scanner.separatorOrEnd(UInt8(ascii: "]"), "coordinates")
            } else {
                try scanner.skipValue()
            }
        } while try scanner.separatorOrEnd(UInt8(ascii: "}"), "a geometry")
        guard type == Self.bytesPoint else {
            let typeName = String(decoding: type, as: UTF8.self)
            f.problem = f.problem ?? "a \(typeName.isEmpty ? "geometry without a type" : typeName + " geometry")"
            return
        }
        guard !nested, numbers.count >= 2 else {
            f.problem = f.problem ?? "a Point with \(nested ? "nested arrays" : "\(numbers.count) coordinate\(numbers.count == 1 ? "" : "s")"), where [x, y] was expected"
            return
        }
        f.x = numbers[0]
        f.y = numbers[1]
    }

    // MARK: - Columns

    /// The columns of the features read ahead, and their types.
    /// `laterNames`: every property name of the document, from the key scan; those the look-ahead
    /// did not see become untyped columns after the others.
    private func findColumns(laterNames: [String]) {
        var seen: [String: (strings: Int, dates: Int, numbers: Int, integers: Int, others: Int)] = [:]
        for feature in pending {
            for (k, p) in feature.properties.enumerated() {
                let key = feature.key(k)
                if columnOfKey[key] == nil, !dropped.contains(key) {
                    if let field = SiteField.matching(header: key), field == .longitude || field == .latitude {
                        dropped.insert(key)
                        continue
                    }
                    columnOfKey[key] = names.count
                    names.append(key)
                }
                var count = seen[key] ?? (0, 0, 0, 0, 0)
                switch p.kind {
                case .string:
                    count.strings += 1
                    let isDate = feature.bytes[p.range].withUnsafeBufferPointer { CalendarDate(utf8: $0) != nil }
                    if isDate { count.dates += 1 }
                case .number(let integer): count.numbers += 1; if integer { count.integers += 1 }
                case .other: count.others += 1
                case .null: break
                }
                seen[key] = count
            }
        }
        for key in laterNames where columnOfKey[key] == nil && !dropped.contains(key) {
            if let field = SiteField.matching(header: key), field == .longitude || field == .latitude {
                dropped.insert(key)
                continue
            }
            columnOfKey[key] = names.count
            names.append(key)
        }
        var types: [ValueType?] = names.map { name in
            guard let c = seen[name] else { return nil }
            if c.others == 0, c.strings == 0, c.numbers > 0 { return c.integers == c.numbers ? .integer : .real }
            if c.others == 0, c.numbers == 0, c.strings > 0, c.dates == c.strings { return .date }
            return nil
        }
        nameBytes = names.map { Array($0.utf8) }
        longitudeColumn = names.count
        latitudeColumn = names.count + 1
        names += ["longitude", "latitude"]
        types += [nil, nil]
        columnTypes = types
    }

    // MARK: - Records

    public var fieldCount: Int { starts.count }

    public func rawField(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: arena[starts[i]..<ends[i]])
    }

    public func isEmpty(_ i: Int) -> Bool { starts[i] == ends[i] }
    public func hasEscapes(_ i: Int) -> Bool { false }
    public func string(_ i: Int) -> String? { UTF8Text.string(rawField(i)) }

    public func next() throws(GazetteerError) -> CSVRecordReader.Step {
        if !headerSent {
            headerSent = true
            setCells(names.map { Array($0.utf8) }.reduce(into: [UInt8]()) { $0 += $1 },
                     ranges: Self.consecutive(names.map { $0.utf8.count }))
            recordLine = 1
            recordPlace = .none
            return .record
        }
        if pendingIndex < pending.count {
            let feature = pending[pendingIndex]
            pendingIndex += 1
            if pendingIndex == pending.count { pending = []; pendingIndex = 0 }
            return record(feature)
        } else {
            do throws(JSONScanner.Failure) {
                guard try nextFeature(into: &current) else {
                    if !finished { finished = true; try readAfterFeatures() }
                    return .end
                }
            } catch {
                gaveUp = true
                recordLine = error.line
                recordPlace = .byte(error.offset)
                return .malformed(line: error.line, problem: error.problem)
            }
        }
        return record(current)
    }

    private func record(_ f: Parsed) -> CSVRecordReader.Step {
        recordLine = f.line
        recordPlace = .feature(index: f.index, byte: f.offset)
        if let problem = f.problem { return .malformed(line: f.line, problem: problem) }
        ranges.removeAll(keepingCapacity: true)
        ranges.append(contentsOf: repeatElement(0..<0, count: names.count))
        for (k, p) in f.properties.enumerated() {
            // Features usually list their properties in the same order: try that column first.
            let guess = k < nameBytes.count && f.keyEquals(k, nameBytes[k]) ? k : nil
            guard let column = guess ?? columnOfKey[f.key(k)] else {
                if dropped.contains(f.key(k)) { continue }
                let why = lateColumnsKnown ? "that the pass over the whole document did not find"
                    : "that none of the first \(Self.lookahead) features has (from standard input, the columns are those of the first \(Self.lookahead) features: give the file by its path to have them all)"
                return .malformed(line: f.line, problem: "a property '\(GazetteerReader.clip(f.key(k)))' \(why)")
            }
            ranges[column] = p.range
        }
        if let x = f.x, let y = f.y { ranges[longitudeColumn] = x; ranges[latitudeColumn] = y }
        setCells(f.bytes, ranges: ranges)
        return .record
    }

    private static func consecutive(_ lengths: [Int]) -> [Range<Int>] {
        var at = 0
        return lengths.map { n in defer { at += n }; return at..<(at + n) }
    }

    private func setCells(_ bytes: [UInt8], ranges: [Range<Int>]) {
        if arena.count < bytes.count {
            if arena.baseAddress != nil { arena.deallocate() }
            arena = .allocate(capacity: max(bytes.count, arena.count * 2, 4096))
        }
        if !bytes.isEmpty { _ = arena.initialize(from: bytes) }
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        for r in ranges { starts.append(r.lowerBound); ends.append(r.upperBound) }
        hasUnusualBytes = bytes.contains { ($0 < 32 && $0 != 9 && $0 != 10 && $0 != 13) || $0 == 0xEF }
    }
}

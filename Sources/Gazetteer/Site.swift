/// One site of a gazetteer: a MINUSMA camp in the built-in data, or any place in a user's file.
/// Everything but the id and the name may be missing, and missing stays `nil`.
public struct Site: Hashable, Sendable {
    public var id: String
    public var closureOrder: Int?
    public var name: String
    public var nameEn: String?
    public var altNames: [String]
    public var region: String?
    public var cercle: String?
    public var siteType: String?
    public var contingent: String?
    public var position: GeoPosition?
    public var coordKind: String?
    public var coordUncertaintyM: Double?
    public var coordConfidence: String?
    public var openingDate: CalendarDate?
    public var handoverDate: CalendarDate?
    public var lastDepartureDate: CalendarDate?
    /// The day used on maps: the handover, else the last departure (or as given in a user file
    /// that has neither).
    public var closureDate: CalendarDate?
    public var phase: Phase?
    public var dateConfidence: String?
    public var notes: String?
    public var dateSources: [String]
    public var coordSources: [String]
    /// Values of the schema's extra columns, in schema order; `nil` where the cell was empty.
    public var extras: [String?]
    /// The line of the file where the record starts, for messages.
    public var line: Int

    public init(id: String, name: String, line: Int = 0) {
        self.id = id
        self.name = name
        self.altNames = []
        self.dateSources = []
        self.coordSources = []
        self.extras = []
        self.line = line
    }

    /// True when the site is still open on `day`: it has not closed yet (its closure date is
    /// after `day`; a site is shown up to and including the day before it closed) and, when its
    /// opening date is known, it had opened. A site without a closure date counts as open.
    public func isOpen(on day: CalendarDate) -> Bool {
        if let opened = openingDate, opened > day { return false }
        if let closed = closureDate { return closed > day }
        return true
    }

    /// How the site closed, in words.
    public var closureSummary: String? {
        if let handover = handoverDate {
            var s = "Handed over to the Malian authorities on \(handover.longDescription)"
            if let left = lastDepartureDate, left != handover {
                s += "; the last peacekeepers left on \(left.longDescription)"
            }
            return s + "."
        }
        if let left = lastDepartureDate {
            return "No handover: the last peacekeepers left on \(left.longDescription)."
        }
        if let closed = closureDate { return "Closed on \(closed.longDescription)." }
        return nil
    }
}

extension Site {
    /// The value of an extra column, typed by its hint. The reader has already checked that the
    /// text parses as that type.
    public func value(ofExtra index: Int, in schema: GazetteerSchema) -> FieldValue {
        guard index < extras.count, let raw = extras[index] else { return .null }
        switch schema.extras[index].valueType {
        case .integer: return Int(raw).map(FieldValue.integer) ?? .text(raw)
        case .real: return DecimalParsing.double(raw).map(FieldValue.real) ?? .text(raw)
        case .date: return CalendarDate(raw).map(FieldValue.date) ?? .text(raw)
        case .text, .textList: return .text(raw)
        }
    }
}

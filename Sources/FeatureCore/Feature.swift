/// Receives a feature's properties one by one, typed, in schema order, without copying them into
/// intermediate values. Each writer has its own sink; `Feature.visitProperties` is generic over
/// it.
public protocol PropertySink {
    mutating func null(_ name: String)
    mutating func text(_ name: String, _ value: String)
    mutating func integer(_ name: String, _ value: Int)
    /// `coordinate` for the WGS 84 longitude and latitude copies, written with 7 decimals like
    /// the geometry.
    mutating func real(_ name: String, _ value: Double, coordinate: Bool)
    mutating func date(_ name: String, _ value: CalendarDate)
    mutating func list(_ name: String, _ value: [String])
    /// A yes/no value (a field with `LayerField.isBoolean`); sinks that have no boolean type
    /// take it as the integer 1 or 0.
    mutating func boolean(_ name: String, _ value: Bool)
}

extension PropertySink {
    public mutating func boolean(_ name: String, _ value: Bool) { integer(name, value ? 1 : 0) }
}

extension PropertySink {
    /// A typed value, for features that hold `FieldValue`s.
    @inline(__always)
    public mutating func value(_ name: String, _ value: FieldValue) {
        switch value {
        case .null: null(name)
        case .text(let v): text(name, v)
        case .integer(let v): integer(name, v)
        case .real(let v): real(name, v, coordinate: false)
        case .date(let v): date(name, v)
        case .textList(let v): if v.isEmpty { null(name) } else { list(name, v) }
        }
    }
}

/// The time a feature exists: from `begin` (included) to `end` (excluded: the feature is gone on
/// that day). Either may be unknown.
public struct TimeSpan: Sendable, Equatable {
    public var begin: CalendarDate?
    public var end: CalendarDate?

    public init(begin: CalendarDate? = nil, end: CalendarDate? = nil) {
        self.begin = begin
        self.end = end
    }

    public var isEmpty: Bool { begin == nil && end == nil }

    /// A moment rather than a period (an event's day): `begin` and `end` are both that day, and
    /// formats with instants write one (KML `<TimeStamp>`). Said explicitly, since a period whose
    /// end equals its begin is an empty one.
    public private(set) var isInstant = false

    public static func instant(_ day: CalendarDate) -> TimeSpan {
        var span = TimeSpan(begin: day, end: day)
        span.isInstant = true
        return span
    }
}

/// A feature as every writer sees it: an id, a label, a time span, a category, typed properties
/// and (given beside it) a geometry. What the feature means is its source's business.
public protocol Feature {
    /// Unique in the layer.
    var featureID: String { get }
    /// A name for people (KML `<name>`, map labels).
    var label: String? { get }
    var timeSpan: TimeSpan { get }
    /// Index into the layer's `style.categories`; nil for the fallback category.
    var categoryIndex: Int? { get }
    /// Every property of the layer's schema, in schema order.
    func visitProperties<S: PropertySink>(_ sink: inout S)
    /// A description for people (KML balloons); nil when the properties say it all.
    var richDescription: RichText? { get }
    /// How far the true position may be from the point; nil when unknown (or no point).
    var positionUncertainty: PositionUncertainty? { get }
}

extension Feature {
    /// Features that know no uncertainty need not say so.
    public var positionUncertainty: PositionUncertainty? { nil }
}

/// A circle the true position lies in: its centre in WGS 84 (whatever CRS the layer is written
/// in) and its radius on the ground. Writers draw it as a polygon.
public struct PositionUncertainty: Sendable, Equatable {
    public var center: GeoPosition
    /// Positive and finite.
    public var radiusMetres: Double

    /// Nil unless the radius is a positive finite number of metres.
    public init?(center: GeoPosition, radiusMetres: Double) {
        guard radiusMetres.isFinite, radiusMetres > 0 else { return nil }
        self.center = center
        self.radiusMetres = radiusMetres
    }
}

/// Text with a little structure, for balloons and popups: paragraphs of spans.
public struct RichText: Sendable, Equatable {
    public enum Span: Sendable, Equatable {
        case text(String)
        case strong(String)
        /// Text in which every http(s) URL becomes a link.
        case linkedText(String)
        case lineBreak
    }

    public var paragraphs: [[Span]]

    public init(paragraphs: [[Span]] = []) { self.paragraphs = paragraphs }

    public mutating func add(_ paragraph: [Span]) {
        if !paragraph.isEmpty { paragraphs.append(paragraph) }
    }

    /// Lines as one paragraph, with line breaks between them.
    public mutating func add(lines: [String]) {
        var p: [Span] = []
        for (i, line) in lines.enumerated() {
            if i > 0 { p.append(.lineBreak) }
            p.append(.text(line))
        }
        add(p)
    }
}

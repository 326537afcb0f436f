import FeatureCore
import Gazetteer
import TextOutput

extension UnsafePointer where Pointee == Site {
    /// Every property of the schema in output order: known fields, then extra columns. Read
    /// field by field through the pointer, so that no site is copied per feature.
    @inline(__always)
    public func visitProperties<S: PropertySink>(_ schema: GazetteerSchema, _ sink: inout S) {
        for field in schema.fields {
            let name = field.name
            switch field {
            case .id: sink.text(name, pointee.id)
            case .closureOrder: if let v = pointee.closureOrder { sink.integer(name, v) } else { sink.null(name) }
            case .name: sink.text(name, pointee.name)
            case .nameEn: Self.text(pointee.nameEn, name, &sink)
            case .altNames: Self.list(pointee.altNames, name, &sink)
            case .region: Self.text(pointee.region, name, &sink)
            case .cercle: Self.text(pointee.cercle, name, &sink)
            case .siteType: Self.text(pointee.siteType, name, &sink)
            case .contingent: Self.text(pointee.contingent, name, &sink)
            case .longitude: if let p = pointee.position { sink.real(name, p.longitude, coordinate: true) } else { sink.null(name) }
            case .latitude: if let p = pointee.position { sink.real(name, p.latitude, coordinate: true) } else { sink.null(name) }
            case .coordKind: Self.text(pointee.coordKind, name, &sink)
            case .coordUncertaintyM: if let v = pointee.coordUncertaintyM { sink.real(name, v, coordinate: false) } else { sink.null(name) }
            case .coordConfidence: Self.text(pointee.coordConfidence, name, &sink)
            case .openingDate: Self.date(pointee.openingDate, name, &sink)
            case .handoverDate: Self.date(pointee.handoverDate, name, &sink)
            case .lastDepartureDate: Self.date(pointee.lastDepartureDate, name, &sink)
            case .closureDate: Self.date(pointee.closureDate, name, &sink)
            case .phase: if let p = pointee.phase { sink.text(name, p.code) } else { sink.null(name) }
            case .dateConfidence: Self.text(pointee.dateConfidence, name, &sink)
            case .notes: Self.text(pointee.notes, name, &sink)
            case .dateSources: Self.list(pointee.dateSources, name, &sink)
            case .coordSources: Self.list(pointee.coordSources, name, &sink)
            }
        }
        for (i, extra) in schema.extras.enumerated() {
            switch pointee.value(ofExtra: i, in: schema) {
            case .null: sink.null(extra.name)
            case .integer(let v): sink.integer(extra.name, v)
            case .real(let v): sink.real(extra.name, v, coordinate: false)
            case .date(let v): sink.date(extra.name, v)
            case .text(let v): sink.text(extra.name, v)
            case .textList(let v): sink.list(extra.name, v)
            }
        }
    }

    @inline(__always)
    private static func text<S: PropertySink>(_ value: String?, _ name: String, _ sink: inout S) {
        if let value { sink.text(name, value) } else { sink.null(name) }
    }

    @inline(__always)
    private static func date<S: PropertySink>(_ value: CalendarDate?, _ name: String, _ sink: inout S) {
        if let value { sink.date(name, value) } else { sink.null(name) }
    }

    /// An empty list is written as missing.
    @inline(__always)
    private static func list<S: PropertySink>(_ value: [String], _ name: String, _ sink: inout S) {
        if value.isEmpty { sink.null(name) } else { sink.list(name, value) }
    }
}

extension OutputBuffer {
    /// `YYYY-MM-DD`, digit by digit.
    @inline(__always)
    func append(date d: CalendarDate) {
        func two(_ v: Int) {
            append(byte: UInt8(48 + v / 10))
            append(byte: UInt8(48 + v % 10))
        }
        two(d.year / 100)
        two(d.year % 100)
        append(byte: 45)
        two(d.month)
        append(byte: 45)
        two(d.day)
    }

    /// A number as the exports write it: coordinates with 7 decimals, other reals in their
    /// shortest exact form.
    @inline(__always)
    func append(real value: Double, coordinate: Bool) {
        if coordinate { append(fixed: value, decimals: 7) } else { append(number: value) }
    }
}

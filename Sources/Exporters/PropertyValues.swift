import FeatureCore
import Gazetteer
import TextOutput

extension Site {
    /// Every property of the schema in output order: known fields, then extra columns.
    @inline(__always)
    public func visitProperties<S: PropertySink>(_ schema: GazetteerSchema, _ sink: inout S) {
        for field in schema.fields {
            let name = field.name
            switch field {
            case .id: sink.text(name, id)
            case .closureOrder: if let v = closureOrder { sink.integer(name, v) } else { sink.null(name) }
            case .name: sink.text(name, self.name)
            case .nameEn: text(nameEn, name, &sink)
            case .altNames: list(altNames, name, &sink)
            case .region: text(region, name, &sink)
            case .cercle: text(cercle, name, &sink)
            case .siteType: text(siteType, name, &sink)
            case .contingent: text(contingent, name, &sink)
            case .longitude: if let p = position { sink.real(name, p.longitude, coordinate: true) } else { sink.null(name) }
            case .latitude: if let p = position { sink.real(name, p.latitude, coordinate: true) } else { sink.null(name) }
            case .coordKind: text(coordKind, name, &sink)
            case .coordUncertaintyM: if let v = coordUncertaintyM { sink.real(name, v, coordinate: false) } else { sink.null(name) }
            case .coordConfidence: text(coordConfidence, name, &sink)
            case .openingDate: date(openingDate, name, &sink)
            case .handoverDate: date(handoverDate, name, &sink)
            case .lastDepartureDate: date(lastDepartureDate, name, &sink)
            case .closureDate: date(closureDate, name, &sink)
            case .phase: if let p = phase { sink.text(name, p.code) } else { sink.null(name) }
            case .dateConfidence: text(dateConfidence, name, &sink)
            case .notes: text(notes, name, &sink)
            case .dateSources: list(dateSources, name, &sink)
            case .coordSources: list(coordSources, name, &sink)
            }
        }
        for (i, extra) in schema.extras.enumerated() {
            switch value(ofExtra: i, in: schema) {
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
    private func text<S: PropertySink>(_ value: String?, _ name: String, _ sink: inout S) {
        if let value { sink.text(name, value) } else { sink.null(name) }
    }

    @inline(__always)
    private func date<S: PropertySink>(_ value: CalendarDate?, _ name: String, _ sink: inout S) {
        if let value { sink.date(name, value) } else { sink.null(name) }
    }

    /// An empty list is written as missing.
    @inline(__always)
    private func list<S: PropertySink>(_ value: [String], _ name: String, _ sink: inout S) {
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

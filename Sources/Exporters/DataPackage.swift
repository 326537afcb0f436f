import FeatureCore
import TextOutput

/// A Frictionless Data Package (`<name>.datapackage.json`) describing the CSV beside it, so
/// `frictionless validate` and other Data Package tools check the file against its declared types.
///
/// Everything in it comes from the layer: its name, title, description and attribution (as the
/// package's source), and one field per column typed from the schema (`integer`, `number`,
/// `date`, `string`; lists are ` | `-joined strings). An empty cell is a missing value. A licence
/// is written only when the user names one or the layer states one (the built-in data's): the
/// data's licence is not something to guess.
/// With `--hxl`, the hashtag row is declared as a comment row so validators skip it.
enum DataPackage {
    static func fileName(_ base: String) -> String { "\(base).datapackage.json" }

    static func descriptor(_ info: LayerInfo, csvFile: String, license: String?, hxlRow: Bool) -> String {
        let o = OutputBuffer(sink: MemorySink(), capacity: 4096)
        o.append("{\n  \"profile\": \"tabular-data-package\",\n  \"name\": ")
        o.append(jsonString: packageName(info.layerName))
        o.append(",\n  \"title\": ")
        o.append(jsonString: info.title)
        if !info.metadata.description.isEmpty {
            o.append(",\n  \"description\": ")
            o.append(jsonString: info.metadata.description.joined(separator: "\n\n"))
        }
        if let attribution = info.metadata.attribution {
            o.append(",\n  \"sources\": [{\"title\": ")
            o.append(jsonString: attribution)
            o.append("}]")
        }
        // The option first, else the layer's own (the built-in data's CC-BY-4.0).
        if let license = license ?? info.metadata.license {
            o.append(",\n  \"licenses\": [{\"name\": ")
            o.append(jsonString: license)
            o.append("}]")
        }
        o.append(",\n  \"resources\": [{\n    \"name\": ")
        o.append(jsonString: packageName(info.layerName))
        o.append(",\n    \"path\": ")
        o.append(jsonString: csvFile)
        o.append(",\n    \"profile\": \"tabular-data-resource\",\n    \"format\": \"csv\",\n    \"mediatype\": \"text/csv\",\n    \"encoding\": \"utf-8\",\n")
        if hxlRow { o.append("    \"dialect\": {\"commentRows\": [2]},\n") }
        o.append("    \"schema\": {\n      \"missingValues\": [\"\"],\n      \"fields\": [")
        for (i, (name, type)) in fields(info).enumerated() {
            o.append(i == 0 ? "\n        {\"name\": " : ",\n        {\"name\": ")
            o.append(jsonString: name)
            o.append(", \"type\": \"")
            o.append(type)
            o.append("\"}")
        }
        o.append("\n      ]\n    }\n  }]\n}\n")
        return String(decoding: o.unflushed, as: UTF8.self)
    }

    /// Column names and Table Schema types, projected columns included.
    static func fields(_ info: LayerInfo) -> [(String, StaticString)] {
        func type(_ t: ValueType) -> StaticString {
            switch t {
            case .integer: return "integer"
            case .real: return "number"
            case .date: return "date"
            case .text, .textList: return "string"
            }
        }
        var out = info.schema.fields.map { ($0.name, type($0.type)) }
        if CSVWriter.addsProjectedColumns(info.crs) {
            out += [("x", "number"), ("y", "number"), ("wkt", "string")]
        }
        return out
    }

    /// A Data Package name: lower-case ASCII letters, digits, `-`, `_` and `.`; anything else `-`.
    static func packageName(_ text: String) -> String {
        let bytes = text.utf8.map { b -> UInt8 in
            switch b {
            case 65...90: return b + 32
            case 97...122, 48...57, 45, 95, 46: return b
            default: return 45
            }
        }
        return bytes.isEmpty ? "data" : String(decoding: bytes, as: UTF8.self)
    }
}

/// The columns of a gazetteer file that the tool understands. Their order is the order of
/// `Data/minusma-sites.csv` and of the properties in every export.
public enum SiteField: String, CaseIterable, Sendable {
    case id
    case closureOrder = "closure_order"
    case name
    case nameEn = "name_en"
    case altNames = "alt_names"
    case region
    case cercle
    case siteType = "site_type"
    case contingent
    case longitude
    case latitude
    case coordKind = "coord_kind"
    case coordUncertaintyM = "coord_uncertainty_m"
    case coordConfidence = "coord_confidence"
    case openingDate = "opening_date"
    case handoverDate = "handover_date"
    case lastDepartureDate = "last_departure_date"
    case closureDate = "closure_date"
    case phase
    case dateConfidence = "date_confidence"
    case notes
    case dateSources = "date_sources"
    case coordSources = "coord_sources"

    /// The column name in files and the property name in exports.
    public var name: String { rawValue }

    public var valueType: ValueType {
        switch self {
        case .closureOrder: return .integer
        case .longitude, .latitude, .coordUncertaintyM: return .real
        case .openingDate, .handoverDate, .lastDepartureDate, .closureDate: return .date
        case .altNames, .dateSources, .coordSources: return .textList
        default: return .text
        }
    }

    /// Columns a user file must have. A row may leave both coordinates empty (position unknown).
    public static let required: [SiteField] = [.id, .name, .latitude, .longitude]

    /// Other names accepted in a header (compared after folding case and turning spaces and
    /// hyphens into underscores).
    public var aliases: [String] {
        switch self {
        case .id: return ["site_id", "identifier", "code", "identifiant", "id_site", "code_site"]
        case .closureOrder: return ["order"]
        case .name: return ["site_name", "nom", "label", "nom_site", "nom_du_site", "libelle", "libellé"]
        case .nameEn: return ["english_name", "name_english"]
        case .altNames: return ["alternative_names", "alternate_names", "aliases"]
        case .siteType: return ["type"]
        case .longitude: return ["lon", "lng", "long", "longitude_wgs84", "longitude_dd"]
        case .latitude: return ["lat", "latitude_wgs84", "latitude_dd"]
        case .coordUncertaintyM: return ["uncertainty_m", "uncertainty", "accuracy_m"]
        case .openingDate: return ["opened_on", "opened", "opening", "date_ouverture", "ouverture", "date_d_ouverture", "date_d'ouverture", "ouvert_le"]
        case .handoverDate: return ["handover", "handed_over", "handed_over_on", "date_passation", "passation", "date_remise", "remise"]
        case .lastDepartureDate: return ["departure_date", "departure", "left_on", "date_depart", "date_départ", "départ", "depart"]
        case .closureDate: return ["closed_on", "closed", "closure", "date_closed", "closing_date", "date_fermeture", "fermeture", "date_de_fermeture", "ferme_le", "fermé_le"]
        case .region: return ["région", "region_name"]
        case .cercle: return ["district"]
        case .phase: return ["withdrawal_phase"]
        case .notes: return ["note", "comment", "comments", "remarques", "remarque", "commentaire", "commentaires"]
        default: return []
        }
    }

    /// A short description, for `--help` and the README's column table.
    public var summary: String {
        switch self {
        case .id: return "stable identifier (unique)"
        case .closureOrder: return "rank in the order of closure, 1..n"
        case .name: return "name (French, with accents)"
        case .nameEn: return "English name"
        case .altNames: return "other names"
        case .region: return "region"
        case .cercle: return "cercle (district)"
        case .siteType: return "kind of site (camp, TOB, headquarters...)"
        case .contingent: return "last contingent"
        case .longitude: return "WGS 84 longitude, degrees east"
        case .latitude: return "WGS 84 latitude, degrees north"
        case .coordKind: return "what the coordinate is (camp compound, town centroid, airfield...)"
        case .coordUncertaintyM: return "coordinate uncertainty, metres"
        case .coordConfidence: return "confidence in the coordinate"
        case .openingDate: return "day the site opened"
        case .handoverDate: return "day of the formal handover (empty when there was none)"
        case .lastDepartureDate: return "day the last peacekeepers left"
        case .closureDate: return "closure day used for maps: the handover, else the departure"
        case .phase: return "withdrawal phase: 1, 2 or liquidation"
        case .dateConfidence: return "confidence in the dates"
        case .notes: return "notes"
        case .dateSources: return "sources of the dates"
        case .coordSources: return "sources of the coordinate"
        }
    }

    /// Folds a header cell for matching: lower case, trimmed, spaces and hyphens as underscores.
    static func fold(_ header: String) -> String {
        var out = ""
        for ch in header.lowercased() {
            out.append(ch == " " || ch == "-" ? "_" : ch)
        }
        return out.trimmingSpaces
    }

    /// The field a header cell names, by its name or one of its aliases.
    public static func matching(header: String) -> SiteField? {
        let folded = fold(header)
        return lookup[folded]
    }

    /// The field a header cell names in a file whose coordinates are projected (`--data-crs`):
    /// `x`/`easting` for the first coordinate, `y`/`northing` for the second.
    public static func matchingProjected(header: String) -> SiteField? {
        switch fold(header) {
        case "x", "easting", "est": return .longitude
        case "y", "northing", "nord": return .latitude
        default: return nil
        }
    }

    private static let lookup: [String: SiteField] = {
        var table: [String: SiteField] = [:]
        for field in SiteField.allCases {
            table[field.rawValue] = field
            for alias in field.aliases { table[alias] = field }
        }
        return table
    }()
}

/// A column the tool does not know, carried through to the exports under its own name. A type
/// hint after a colon in the header (`population:integer`, `visited:date`) types it; without a
/// hint it is text.
public struct ExtraColumn: Hashable, Sendable {
    public let name: String
    public let valueType: ValueType

    public init(name: String, valueType: ValueType) {
        self.name = name
        self.valueType = valueType
    }

    /// The hints accepted after the colon.
    public static let typeHints: [String: ValueType] = [
        "text": .text, "string": .text, "integer": .integer, "int": .integer,
        "real": .real, "number": .real, "float": .real, "date": .date,
    ]
}

/// The columns one gazetteer file has, which become the properties of its exports: the known
/// fields present (in canonical order) and the extra columns (in file order).
public struct GazetteerSchema: Hashable, Sendable {
    public let fields: [SiteField]
    public let extras: [ExtraColumn]

    public init(fields: [SiteField], extras: [ExtraColumn] = []) {
        let present = Set(fields)
        self.fields = SiteField.allCases.filter { present.contains($0) }
        self.extras = extras
    }

    /// Every known field: the schema of `Data/minusma-sites.csv`.
    public static let full = GazetteerSchema(fields: SiteField.allCases)

    public func contains(_ field: SiteField) -> Bool { fields.contains(field) }

    /// All property names in output order.
    public var propertyNames: [String] { fields.map(\.name) + extras.map(\.name) }
}

extension String {
    /// The text without leading and trailing white space.
    public var trimmingSpaces: String {
        // Most texts have an ASCII byte that is not white space at both ends, which no white space can
        // include (an ASCII byte after a scalar starts a new character): nothing to trim.
        if let first = utf8.first, let last = utf8.last, Self.isASCIINotSpace(first), Self.isASCIINotSpace(last) {
            return self
        }
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }

    /// ASCII and not white space (Unicode's White_Space in ASCII: tab to carriage return, space).
    private static func isASCIINotSpace(_ b: UInt8) -> Bool {
        b < 0x80 && b != 0x20 && !(0x09...0x0D).contains(b)
    }
}

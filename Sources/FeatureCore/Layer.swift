/// One field of a layer: its property name and value type. Writers turn the type into theirs
/// (a GeoPackage DATE, a `.csvt` `Date`, a KML `SimpleField`).
public struct LayerField: Hashable, Sendable {
    /// A property that copies the WGS 84 position (written with 7 decimals like the geometry,
    /// and typed as the X or Y coordinate where a format has such a type).
    public enum Coordinate: Hashable, Sendable { case longitude, latitude }

    public let name: String
    public let type: ValueType
    public let coordinate: Coordinate?
    /// An integer that fits in 32 bits (a rank): formats with a narrower integer type use it.
    public let isNarrowInteger: Bool
    /// An integer that is only ever 1 or 0 (visited with `PropertySink.boolean`): formats with a
    /// boolean type use it, the others see an integer.
    public var isBoolean = false

    public init(name: String, type: ValueType, coordinate: Coordinate? = nil, isNarrowInteger: Bool = false) {
        self.name = name
        self.type = type
        self.coordinate = coordinate
        self.isNarrowInteger = isNarrowInteger
    }

    /// A yes/no field, typed integer for formats without booleans.
    public static func boolean(_ name: String) -> LayerField {
        var field = LayerField(name: name, type: .integer, isNarrowInteger: true)
        field.isBoolean = true
        return field
    }
}

/// The fields of a layer, in the order in which every feature visits its properties.
public struct LayerSchema: Hashable, Sendable {
    public let fields: [LayerField]
    /// False for a table of records with no geometry (a GeoPackage attributes table); writers
    /// that need points then get none.
    public var hasGeometry = true

    public init(_ fields: [LayerField]) { self.fields = fields }

    public var names: [String] { fields.map(\.name) }

    public func contains(_ name: String) -> Bool { fields.contains { $0.name == name } }
}

/// A class of features with its own symbol and legend entry (a withdrawal phase for the built-in
/// sites). Writers that style features (KML, the QGIS style) draw one symbol per category.
public struct FeatureCategory: Hashable, Sendable {
    /// Style id and category value: letters, digits and `-`, e.g. `phase-1`.
    public let key: String
    /// The value of `LayerStyle.categoryField` that selects this category; nil for the features
    /// that have none.
    public let value: String?
    /// Legend text.
    public let label: String
    /// `#RRGGBB`.
    public let color: String

    public init(key: String, value: String?, label: String, color: String) {
        self.key = key
        self.value = value
        self.label = label
        self.color = color
    }
}

/// How a layer is drawn: its categories (empty: one symbol) and its label field.
public struct LayerStyle: Hashable, Sendable {
    /// The style's name for people (a GeoPackage's `layer_styles`).
    public let title: String
    public let categories: [FeatureCategory]
    /// The field whose value picks the category.
    public let categoryField: String?
    /// The category of features without one (its color is the single symbol when there are
    /// no categories).
    public let fallback: FeatureCategory
    public let labelField: String?

    public init(title: String, categories: [FeatureCategory], categoryField: String?, fallback: FeatureCategory,
                labelField: String?) {
        self.title = title
        self.categories = categories
        self.categoryField = categoryField
        self.fallback = fallback
        self.labelField = labelField
    }

    /// One grey symbol, labelled by `labelField`.
    public static func single(labelField: String?) -> LayerStyle {
        LayerStyle(title: "Default style", categories: [], categoryField: nil,
                   fallback: FeatureCategory(key: "feature", value: nil, label: "Features", color: "#999999"),
                   labelField: labelField)
    }

    /// Every category, then the fallback: the folders and styles of a KML, the legend.
    public var allCategories: [FeatureCategory] { categories + [fallback] }
}

/// The human side of a layer, given to the writers as data: the writers know no story of their
/// own. For a user's gazetteer every text here comes from their data or their flags.
public struct LayerMetadata: Sendable {
    /// Machine name: GeoJSON `name`, GeoPackage table and identifier, KML ids.
    public let name: String
    /// Title for people (KML document name, GeoPackage identifier, QGIS project).
    public let title: String
    /// Paragraphs saying what the layer holds (KML document balloon, GeoPackage description).
    public let description: [String]
    /// Who to credit; nil when nobody was named.
    public let attribution: String?
    /// The data's licence (an SPDX identifier such as CC-BY-4.0); nil when none was stated, and
    /// then no output claims one.
    public let license: String?
    public let style: LayerStyle
    /// The name of a group the features go in, where a format groups them (a KML `<Folder>`);
    /// nil: straight in the document.
    public var folder: String? = nil
    /// How this layer's features relate to another layer's; nil when they do not.
    public var relation: LayerRelation? = nil

    public init(name: String, title: String, description: [String] = [], attribution: String? = nil,
                license: String? = nil, style: LayerStyle = .single(labelField: nil)) {
        self.name = name
        self.title = title
        self.description = description
        self.attribution = attribution
        self.license = license
        self.style = style
    }
}

/// "Each feature of this layer belongs to the feature of `layer` whose `layerField` equals this
/// layer's `field`" (a contingent to its site): a GeoPackage records it with the Related Tables
/// Extension.
public struct LayerRelation: Sendable, Hashable {
    /// The other layer's name (as in its `LayerMetadata.name`), written before this one.
    public let layer: String
    /// The other layer's field that identifies its features (`id`).
    public let layerField: String
    /// This layer's field that holds it (`site_id`).
    public let field: String

    public init(layer: String, layerField: String, field: String) {
        self.layer = layer
        self.layerField = layerField
        self.field = field
    }
}

/// Everything a writer knows before its first feature.
public struct LayerInfo: Sendable {
    public let metadata: LayerMetadata
    public let schema: LayerSchema
    /// The CRS of the points the writer receives.
    public let crs: OutputCRS

    public init(metadata: LayerMetadata, schema: LayerSchema, crs: OutputCRS) {
        self.metadata = metadata
        self.schema = schema
        self.crs = crs
    }

    public var layerName: String { metadata.name }
    public var title: String { metadata.title }
}

/// An extent: in a writer's CRS (x, y) or in WGS 84 (longitude, latitude).
public struct Extent: Sendable, Equatable {
    public var minX: Double, minY: Double, maxX: Double, maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }
}

/// What is only known after the last feature.
public struct LayerSummary: Sendable, Equatable {
    public let featureCount: Int
    /// In the writer's CRS; nil when no feature has a point.
    public let extent: Extent?
    /// In WGS 84 longitude/latitude; nil when no feature has a point.
    public let geographicExtent: Extent?

    public init(featureCount: Int, extent: Extent?, geographicExtent: Extent?) {
        self.featureCount = featureCount
        self.extent = extent
        self.geographicExtent = geographicExtent
    }
}

/// Grows a box point by point; empty until the first point.
public struct BoxAccumulator: Sendable {
    public private(set) var minX = Double.infinity, minY = Double.infinity
    public private(set) var maxX = -Double.infinity, maxY = -Double.infinity

    public init() {}

    public var isEmpty: Bool { minX > maxX }

    public mutating func add(x: Double, y: Double) {
        if x < minX { minX = x }
        if x > maxX { maxX = x }
        if y < minY { minY = y }
        if y > maxY { maxY = y }
    }
}

extension BoxAccumulator {
    /// The box so far; nil while empty.
    public var extent: Extent? { isEmpty ? nil : Extent(minX: minX, minY: minY, maxX: maxX, maxY: maxY) }
}

import FeatureCore
import Gazetteer

/// The contingents of Data/contingents.csv as a table without geometry, each row related to its
/// site (in a GeoPackage, through the Related Tables Extension).
public struct ContingentLayer {
    public let metadata: LayerMetadata
    public var layerSchema: LayerSchema { Self.schema }

    public static let schema: LayerSchema = {
        var schema = LayerSchema([
            LayerField(name: "site_id", type: .text),
            LayerField(name: "dataset", type: .text),
            LayerField(name: "year", type: .integer, isNarrowInteger: true),
            LayerField(name: "country", type: .text),
            LayerField(name: "troops_estimate", type: .integer, isNarrowInteger: true),
            LayerField(name: "estimate_basis", type: .text),
            LayerField(name: "confidence", type: .text),
            LayerField(name: "sources", type: .textList),
        ])
        schema.hasGeometry = false
        return schema
    }()

    /// `sitesLayer` is the name of the sites' layer the rows belong to.
    public init(name: String, sitesLayer: String) {
        var metadata = LayerMetadata(
            name: name, title: "MINUSMA contingents per site",
            description: ["Troop-contributing countries per site (Data/contingents.csv), as the Geo-PKO v2.3 and RADPKO research datasets estimate them: sizes are estimates (Geo-PKO counts unit symbols: battalion 650, company 150, platoon 35; RADPKO averages monthly counts over a year). Each row is related to its site."])
        metadata.relation = LayerRelation(layer: sitesLayer, layerField: "id", field: "site_id")
        self.metadata = metadata
    }
}

/// One country's troops at one site in one year.
public struct ContingentFeature: Feature {
    public let contingent: Contingent

    public var featureID: String {
        "\(contingent.siteID)/\(contingent.dataset.rawValue)/\(contingent.year)/\(contingent.country)"
    }
    public var label: String? { contingent.country }
    public var timeSpan: TimeSpan { TimeSpan() }
    public var categoryIndex: Int? { nil }
    public var richDescription: RichText? { nil }

    public func visitProperties<S: PropertySink>(_ sink: inout S) {
        sink.text("site_id", contingent.siteID)
        sink.text("dataset", contingent.dataset.rawValue)
        sink.integer("year", contingent.year)
        sink.text("country", contingent.country)
        if let troops = contingent.troopsEstimate { sink.integer("troops_estimate", troops) } else { sink.null("troops_estimate") }
        sink.text("estimate_basis", contingent.estimateBasis)
        sink.text("confidence", contingent.confidence.rawValue)
        sink.list("sources", contingent.sources)
    }
}

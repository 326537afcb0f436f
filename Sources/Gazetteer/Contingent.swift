// Troop-contributing countries per site (Data/contingents.csv), from research datasets whose
// sizes are estimates: Geo-PKO counts unit symbols on the UN deployment maps, RADPKO averages
// the monthly troop counts of a year.

/// The dataset a contingent estimate comes from.
public enum ContingentDataset: String, CaseIterable, Sendable {
    /// Geo-PKO v2.3 (Cil, Fjelde, Hultman, Nilsson 2020): deployment maps, sizes from unit symbols.
    case geoPKO = "geo-pko-2.3"
    /// RADPKO (Hunnicutt & Nomikos 2020): yearly means of monthly deployments.
    case radpko
}

/// One country's troops at one site in one year, as one dataset estimates them.
public struct Contingent: Sendable, Equatable {
    public let siteID: String
    public let dataset: ContingentDataset
    public let year: Int
    public let country: String
    /// The estimated number of troops; nil when the dataset names the country without a size.
    public let troopsEstimate: Int?
    /// How the estimate was made, in words.
    public let estimateBasis: String
    public let confidence: FactConfidence
    public let sources: [String]
}

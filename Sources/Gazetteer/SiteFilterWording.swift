extension SiteFilter {
    /// The selection in words in `language`, for the descriptions an export carries ("ouverts
    /// le 1er novembre 2023, phase 2"). English is `description`.
    public func description(_ language: Language) -> String {
        guard language == .fr else { return description }
        var parts: [String] = []
        if let openOn { parts.append("ouverts le \(openOn.longDescription(language))") }
        if let closedBetween {
            parts.append("fermés entre le \(closedBetween.lowerBound.longDescription(language)) et le \(closedBetween.upperBound.longDescription(language))")
        }
        if let phases { parts.append("phase " + phases.sorted().map(\.code).joined(separator: " ou ")) }
        if let regions { parts.append("région " + regions.joined(separator: " ou ")) }
        return parts.isEmpty ? "tous les sites" : parts.joined(separator: ", ")
    }
}

import Gazetteer

/// The phases' names in each language: the one table of them (the data holds only the codes
/// `1`, `2`, `liquidation`). English is `Phase.title` and `Phase.summary`.
extension Phase {
    public func title(_ language: Language) -> String {
        guard language == .fr else { return title }
        switch self {
        case .one: return "Phase 1"
        case .two: return "Phase 2"
        case .liquidation: return "Liquidation"
        }
    }

    /// The phase and its time frame, for legends and descriptions.
    public func summary(_ language: Language) -> String {
        guard language == .fr else { return summary }
        switch self {
        case .one: return "Phase 1 (août 2023)"
        case .two: return "Phase 2 (octobre à décembre 2023)"
        case .liquidation: return "Liquidation (décembre 2023 à novembre 2024)"
        }
    }
}

extension PhasePalette {
    public static func title(_ phase: Phase?, _ language: Language) -> String {
        phase?.title(language) ?? (language == .fr ? "Sans phase" : "No phase")
    }
}

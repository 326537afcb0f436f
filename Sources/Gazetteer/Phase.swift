/// The stage of the withdrawal in which a site closed, as the UN staged it: phase 1 (August 2023),
/// phase 2 (October to December 2023) and the three liquidation sites (Tombouctou, Gao, Bamako).
public enum Phase: String, CaseIterable, Sendable, Comparable {
    case one = "1"
    case two = "2"
    case liquidation = "liquidation"

    /// The value as written in data files: `1`, `2` or `liquidation`.
    public var code: String { rawValue }

    /// Accepts the data-file codes and a few spellings people type (`phase1`, `Phase 2`, `liq`).
    public init?(text: some StringProtocol) {
        let folded = String(text).lowercased().filter { !$0.isWhitespace && $0 != "_" && $0 != "-" }
        switch folded {
        case "1", "phase1", "one": self = .one
        case "2", "phase2", "two": self = .two
        case "liquidation", "liq", "3": self = .liquidation
        default: return nil
        }
    }

    public var title: String {
        switch self {
        case .one: return "Phase 1"
        case .two: return "Phase 2"
        case .liquidation: return "Liquidation"
        }
    }

    /// The phase and its time frame, for legends and descriptions.
    public var summary: String {
        switch self {
        case .one: return "Phase 1 (August 2023)"
        case .two: return "Phase 2 (October to December 2023)"
        case .liquidation: return "Liquidation sites (December 2023 to November 2024)"
        }
    }

    public static func < (a: Phase, b: Phase) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

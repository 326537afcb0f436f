/// The version of minusma, for `--version` and for the files that say what wrote them.
public enum ToolVersion {
    public static let current = "1.0.0"
}

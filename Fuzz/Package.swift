// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets, in a package of their own so that no target of the main package needs
// unsafe flags: the sanitizers come from the command line (`make fuzz`):
//   swift build -c debug --sanitize=fuzzer --sanitize=address --product fuzz-csv
// That mode builds every executable as a library (libFuzzer brings `main`), which the main
// package's build-time data embedder cannot be; so the reader's sources are compiled here
// through a symbolic link, without the one file that needs the embedded data.
let package = Package(
    name: "minusma-fuzz",
    targets: [
        .target(name: "FeatureCore", path: "Sources/FeatureCore"),
        .target(name: "Gazetteer", dependencies: ["FeatureCore"], path: "Sources/Gazetteer", exclude: ["Gazetteer.swift", "EventReader.swift"]),
        // The CSV gazetteer reader: records, header, rows, limits.
        .executableTarget(name: "fuzz-csv", dependencies: ["Gazetteer"], path: "Sources/fuzz-csv"),
        // The GeoJSON reader: the streaming tokenizer, features, properties, geometries.
        .executableTarget(name: "fuzz-geojson", dependencies: ["Gazetteer"], path: "Sources/fuzz-geojson"),
        // The GeoPackage reader: layers, columns, geometry blobs (its source file linked in).
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3"),
        .target(name: "SQLiteDB", dependencies: ["CSQLite"], path: "Sources/SQLiteDB"),
        .executableTarget(name: "fuzz-gpkg", dependencies: ["Gazetteer", "SQLiteDB"], path: "Sources/fuzz-gpkg"),
    ],
    swiftLanguageModes: [.v6]
)

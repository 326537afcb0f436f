// swift-tools-version:6.0
import PackageDescription

// One direction of dependency:
//   CPROJ -> Projection ─┐
//   CSQLite -> SQLiteDB ─┤
//   CShapelib -> ShapefileIO ─┤
//   CXLSXWriter -> XLSXDocument ─┤
//   CZlib -> ZlibCodec ─┤
//   FeatureCore, MinusmaData -> Gazetteer -> Cartography ─┤
//   TextOutput ──────────────────────────────┴─> Exporters, WithdrawalMap -> MinusmaCommands -> minusma
// MinusmaKit is meant to be depended on by version, so no target of the library uses unsafeFlags.
// The streaming path's run-time exclusivity checks are skipped property by property instead, with
// `@exclusivity(unchecked)` on the few hot stored class properties (OutputBuffer, CSVRecordReader,
// the writers).

let package = Package(
    name: "minusma",
    products: [
        .executable(name: "minusma", targets: ["minusma"]),
        .library(name: "MinusmaKit", targets: ["FeatureCore", "Gazetteer", "Projection", "Exporters", "WithdrawalMap"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // C shims: the only places that name C headers.
        .systemLibrary(
            name: "CPROJ",
            pkgConfig: "proj",
            providers: [.apt(["libproj-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CShapelib",
            pkgConfig: "shapelib",
            providers: [.apt(["libshp-dev"])]
        ),
        .systemLibrary(
            name: "CXLSXWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // The Swift face of PROJ: CRS, transformer, geodesics. Alone imports CPROJ.
        .target(name: "Projection", dependencies: ["CPROJ"]),
        // A small owner of sqlite3 handles for the GeoPackage writer. Alone imports CSQLite.
        .target(name: "SQLiteDB", dependencies: ["CSQLite"]),
        // Owners of shapelib's handles for the Shapefile writer. Alone imports CShapelib.
        .target(name: "ShapefileIO", dependencies: ["CShapelib"]),
        // Excel workbooks through libxlsxwriter. Alone imports CXLSXWriter.
        .target(name: "XLSXDocument", dependencies: ["CXLSXWriter"]),
        // zlib streams for the KMZ's PNG pictures. Alone imports CZlib.
        .target(name: "ZlibCodec", dependencies: ["CZlib"]),

        // Data/ embedded into the binary at build time, so a copied binary needs no resource bundle.
        .executableTarget(name: "embed-data"),
        .plugin(name: "EmbedData", capability: .buildTool(), dependencies: ["embed-data"]),
        .target(name: "MinusmaData", plugins: ["EmbedData"]),

        // The feature core every writer sees: layer schema, features, typed values, calendar days.
        .target(name: "FeatureCore"),
        // The model and loader: no C, no output formats.
        .target(name: "Gazetteer", dependencies: ["FeatureCore", "MinusmaData"]),
        // Natural Earth context layers (Mali, its regions, its neighbours) and the phase palette.
        .target(name: "Cartography", dependencies: ["Gazetteer", "MinusmaData"]),
        // Buffered output, files replaced atomically, escaping and number formatting.
        .target(name: "TextOutput"),
        // Writers: GeoJSON, KML, CSV, GeoPackage, QGIS project and style.
        .target(name: "Exporters", dependencies: ["FeatureCore", "Gazetteer", "Cartography", "TextOutput", "Projection", "SQLiteDB", "ShapefileIO", "XLSXDocument", "ZlibCodec"]),
        // The SVG map of the withdrawal.
        .target(name: "WithdrawalMap", dependencies: ["Gazetteer", "Cartography", "TextOutput", "Projection"]),
        // The self-contained web page: Leaflet (Debian's libjs-leaflet) embedded at build time.
        .plugin(name: "EmbedLeaflet", capability: .buildTool(), dependencies: ["embed-data"]),
        .target(name: "WebPage", dependencies: ["Gazetteer", "Cartography", "TextOutput", "WithdrawalMap"],
                exclude: ["Assets"], plugins: ["EmbedLeaflet"]),
        // The command types.
        .target(
            name: "MinusmaCommands",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                "Gazetteer", "Cartography", "TextOutput", "Projection", "Exporters", "WithdrawalMap", "SQLiteDB", "WebPage",
            ]
        ),
        .executableTarget(name: "minusma", dependencies: ["MinusmaCommands", "TextOutput"]),
        // Benchmarks (not part of the product): see Benchmarks/run.sh.
        .executableTarget(name: "minusma-proj-bench", dependencies: ["Projection"], path: "Benchmarks/ProjectionBenchmark"),

        // Helpers shared by the tests: running commands, temporary folders, golden files.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "GazetteerTests", dependencies: ["Gazetteer", "MinusmaData"]),
        .testTarget(name: "ProjectionTests", dependencies: ["Projection"]),
        .testTarget(name: "TextOutputTests", dependencies: ["TextOutput"]),
        .testTarget(name: "CartographyTests", dependencies: ["Cartography", "Gazetteer", "MinusmaData", "TestSupport", "embed-data"]),
        .testTarget(name: "ExportersTests", dependencies: ["Exporters", "Gazetteer", "Projection", "TextOutput", "TestSupport", "ZlibCodec"],
                    exclude: ["Golden", "Fixtures"]),
        .testTarget(name: "WithdrawalMapTests", dependencies: ["WithdrawalMap", "Gazetteer", "Projection", "TestSupport"],
                    exclude: ["Golden"]),
        .testTarget(name: "CLITests", dependencies: ["minusma", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

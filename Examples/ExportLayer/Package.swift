// swift-tools-version:6.0
import PackageDescription

// An example of depending on MinusmaKit from another package. Here the dependency is the checkout
// two folders up; a real project would name the repository and a version instead.
let package = Package(
    name: "ExportLayer",
    dependencies: [
        .package(name: "minusma", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "export-layer",
            dependencies: [.product(name: "MinusmaKit", package: "minusma")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

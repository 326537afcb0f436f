import Testing
@testable import Projection

/// Forward then inverse returns the input within 1e-9 degrees, for the 13 sites and for
/// thousands of pseudo-random points in Mali's bounding box.
@Suite struct RoundTripTests {
    /// The 13 sites' coordinates (longitude, latitude) from Data/minusma-sites.csv.
    static let sites: [(Double, Double)] = [
        (-3.5706, 13.9583), (-2.52674, 16.83947), (-3.66363, 16.41685), (2.4022, 15.9182),
        (-2.95296, 15.00687), (0.98889, 20.25361), (0.856, 19.465), (1.41351, 18.42801),
        (0.5017, 15.6594), (-4.0902, 14.51702), (-3.0076, 16.7305), (-0.0194, 16.2472), (-7.9499, 12.5335),
    ]

    /// A fixed xorshift sequence, so every run tests the same points.
    static func randomPointsInMali(_ n: Int) -> ([Double], [Double]) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return Double((state &* 2_685_821_657_736_338_717) >> 11) / 9_007_199_254_740_992.0
        }
        var xs: [Double] = [], ys: [Double] = []
        for _ in 0..<n {
            xs.append(-12.3 + 16.6 * next())
            ys.append(10.1 + 14.9 * next())
        }
        return (xs, ys)
    }

    @Test(arguments: ["EPSG:32630", "EPSG:32629", "EPSG:3857", "ESRI:102022", "EPSG:4326"])
    func roundTrip(_ target: String) throws {
        let t = try Transformer(from: "OGC:CRS84", to: target)
        var (xs, ys) = Self.randomPointsInMali(5000)
        xs += Self.sites.map(\.0)
        ys += Self.sites.map(\.1)
        let (x0, y0) = (xs, ys)
        try t.transform(x: &xs, y: &ys)
        try t.transform(x: &xs, y: &ys, .inverse)
        var worst = 0.0
        for i in xs.indices {
            worst = max(worst, abs(xs[i] - x0[i]), abs(ys[i] - y0[i]))
        }
        #expect(worst <= 1e-9, "worst round-trip error \(worst) degrees for \(target)")
    }
}

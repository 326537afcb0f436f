import Testing
import Projection

/// `Geodesic.circle`: the ring's shape and orientation, and what it refuses.
struct GeodesicCircleTests {
    @Test func sixtyFourVerticesCounterClockwiseFromNorth() {
        let ring = Geodesic.circle(center: (longitude: 1.41351, latitude: 18.43098), radiusMetres: 1000, points: 64)
        #expect(ring.count == 64)
        // The first vertex is due north of the centre, about 1000 m / 110.7 km per degree away.
        #expect(abs(ring[0].longitude - 1.41351) < 1e-12)
        #expect(abs(ring[0].latitude - 18.43098 - 0.009035) < 0.00001)
        // Twice the signed area (shoelace, longitude as x): positive when counter-clockwise.
        var twiceArea = 0.0
        for i in ring.indices {
            let a = ring[i], b = ring[(i + 1) % ring.count]
            twiceArea += a.longitude * b.latitude - b.longitude * a.latitude
        }
        #expect(twiceArea > 0)
        // The second vertex turns west (counter-clockwise), not east.
        #expect(ring[1].longitude < 1.41351)
    }

    @Test(arguments: [0.0, -5, .nan, .infinity])
    func noCircleForARadiusThatIsNotPositive(_ radius: Double) {
        #expect(Geodesic.circle(center: (longitude: 0, latitude: 0), radiusMetres: radius).isEmpty)
    }

    @Test func noCircleOfFewerThanThreePoints() {
        #expect(Geodesic.circle(center: (longitude: 0, latitude: 0), radiusMetres: 10, points: 2).isEmpty)
    }
}

// The projection layer's batch speed against PROJ's own: transforms 1,000,000 points of Mali's
// bounding box from EPSG:4326 to EPSG:32630 with `Transformer.transform(x:y:)` (one
// proj_trans_generic call over contiguous buffers, plus the check for failed points) and prints
// ns per point, best and median of REPS runs. The points are the same xorshift sequence as
// shared/bench/proj_trans_c.c, so the two figures compare directly.
//
//   swift build -c release --product minusma-proj-bench
//   .build/release/minusma-proj-bench [N=1000000] [REPS=5]
#if canImport(Glibc)
import Glibc
#endif
import Projection

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// xorshift64*, as in proj_trans_c.c.
struct Random {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    mutating func next01() -> Double {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return Double((state &* 2_685_821_657_736_338_717) >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }
}

let arguments = CommandLine.arguments
let n = arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000
let reps = arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5

let t0 = now()
let transformer: Transformer
do {
    transformer = try Transformer(from: "EPSG:4326", to: "EPSG:32630")
} catch {
    print("cannot create the transformer: \(error)")
    exit(1)
}
let setup = now() - t0

var random = Random()
var lon = [Double](repeating: 0, count: n), lat = [Double](repeating: 0, count: n)
for i in 0..<n {
    lon[i] = -12.3 + 16.6 * random.next01()
    lat[i] = 10.1 + 14.9 * random.next01()
}

var times: [Double] = []
var checksum = 0.0
for _ in 0..<max(reps, 1) {
    var x = lon, y = lat
    let a = now()
    do { try transformer.transform(x: &x, y: &y) } catch {
        print("transform failed: \(error)")
        exit(1)
    }
    times.append((now() - a) * 1e9 / Double(n))
    checksum = zip(x, y).reduce(0) { $0 + $1.0 + $1.1 }
}
times.sort()
func f(_ v: Double) -> String { String(Double(Int(v * 10)) / 10) }
print("PROJ \(ProjContext.projVersion)  N=\(n) REPS=\(reps)")
print("setup_ms        \(f(setup * 1000))  (context + CRSs + transformer)")
print("batch_ns_per_point  best \(f(times.first!))  median \(f(times[times.count / 2]))  worst \(f(times.last!))")
print("checksum \(checksum)")

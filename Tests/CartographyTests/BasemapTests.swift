import Cartography
import Foundation
import Gazetteer
import MinusmaData
import TestSupport
import Testing

@Suite struct BasemapTests {
    /// Each layer as embed-data decoded it at build time equals its GeoJSON file as Python's own
    /// JSON reader sees it: same features, properties in the same order, same rings, and every
    /// coordinate the same double, bit for bit.
    @Test(arguments: ["mali_admin0", "mali_admin1", "neighbours_admin0"])
    func layerEqualsItsGeoJSONFile(_ file: String) throws {
        let layer = try #require(Basemap.layers().first { $0.name == file })
        if let missing = TestSupport.requireTool("python3") { Issue.record(Comment(rawValue: missing)); return }
        let path = TestSupport.path("Data/basemap/\(file).geojson")
        let python = try TestSupport.run("python3", ["-c", Self.pythonDump, path])
        try #require(python.status == 0, "python3: \(python.stderr)")
        let expected = python.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let actual = Self.dump(layer).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(actual.count == expected.count)
        let firstDifference = zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstDifference == nil, "first difference at line \(firstDifference.map { $0 + 1 } ?? 0): \(firstDifference.map { "\(actual[$0]) vs \(expected[$0])" } ?? "")")
    }

    /// The names a GeoPackage reserves without decoding the layers are the layers' own.
    @Test func layerNamesAreTheLayersNames() {
        #expect(Basemap.layers().map(\.name) == Basemap.layerNames)
    }

    @Test func extentBoundsEveryPosition() {
        for layer in Basemap.layers() {
            var box = BoxAccumulator()
            for f in layer.features { for p in f.polygons { for r in p { for q in r { box.add(x: q.longitude, y: q.latitude) } } } }
            #expect(!box.isEmpty)
            #expect(layer.extent == GeoBox(west: box.minX, south: box.minY, east: box.maxX, north: box.maxY), "\(layer.name)")
        }
    }

    /// 8 bytes (a padded group of 2 bytes), 16 bytes (a padded group of 1 byte) and 24 bytes (no
    /// padding), with line breaks anywhere.
    @Test func coordinatesDecodeFromBase64WhateverThePadding() {
        func decoded(_ base64: String, count: Int) -> [Double] {
            EmbeddedPolygonLayer(features: [], extent: (0, 0, 0, 0), positionCount: count, coordinatesBase64: base64).coordinates()
        }
        // 1.0 = 0x3FF0000000000000, -2.5 = 0xC004000000000000, 0.1 = 0x3FB999999999999A (little-endian).
        #expect(decoded("AAAAAAAA8D8=", count: 1) == [1.0])
        #expect(decoded("AAAAAAAA8D8AAAAAAAAEwA==", count: 1) == [1.0, -2.5])
        #expect(decoded("AAAAAAAA8D8AAAAA\nAAAEwJqZmZmZmbk/", count: 2) == [1.0, -2.5, 0.1])
        // A truncated blob yields the whole numbers it holds, and no trap.
        #expect(decoded("AAAAAAAA8D8AAAA", count: 1) == [1.0])
        #expect(decoded("", count: 0) == [])
    }

    /// One line per property, polygon and ring; coordinates as the hexadecimal bits of the double.
    static func dump(_ layer: BasemapLayer) -> String {
        var lines: [String] = []
        for feature in layer.features {
            lines.append("feature")
            for (key, value) in feature.properties {
                switch value {
                case .null: lines.append("property \(key) null")
                case .bool(let b): lines.append("property \(key) bool \(b)")
                case .number(let n): lines.append("property \(key) number \(String(n.bitPattern, radix: 16))")
                case .string(let s): lines.append("property \(key) string \(s)")
                }
            }
            for polygon in feature.polygons {
                lines.append("polygon \(polygon.count)")
                for ring in polygon {
                    lines.append("ring \(ring.count)")
                    for q in ring { lines.append("\(String(q.longitude.bitPattern, radix: 16)) \(String(q.latitude.bitPattern, radix: 16))") }
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let pythonDump = """
        import json, struct, sys
        bits = lambda x: format(struct.unpack('<Q', struct.pack('<d', float(x)))[0], 'x')
        layer = json.load(open(sys.argv[1], encoding='utf-8'))
        out = []
        for f in layer['features']:
            out.append('feature')
            for k, v in f['properties'].items():
                if v is None: out.append(f'property {k} null')
                elif isinstance(v, bool): out.append(f'property {k} bool {str(v).lower()}')
                elif isinstance(v, (int, float)): out.append(f'property {k} number {bits(v)}')
                else: out.append(f'property {k} string {v}')
            g = f['geometry']
            for polygon in ([g['coordinates']] if g['type'] == 'Polygon' else g['coordinates']):
                out.append(f'polygon {len(polygon)}')
                for ring in polygon:
                    out.append(f'ring {len(ring)}')
                    out.extend(f'{bits(p[0])} {bits(p[1])}' for p in ring)
        sys.stdout.write('\\n'.join(out) + '\\n')
        """
}

/// embed-data, the build-time decoder, refuses what it cannot embed faithfully, and says where.
@Suite struct EmbedDataTests {
    static let tool = TestSupport.binFolder.appendingPathComponent("embed-data").path

    func run(_ geojson: String) throws -> (CommandResult, String) {
        let dir = try TestSupport.temporaryFolder("embed-data-test")
        let input = dir + "/layer.geojson"
        try geojson.write(toFile: input, atomically: true, encoding: .utf8)
        let result = try TestSupport.run(Self.tool, [dir + "/Out.swift", "layer=\(input)"])
        return (result, (try? TestSupport.read(dir + "/Out.swift")) ?? "")
    }

    @Test func aSmallLayerBecomesSwiftSource() throws {
        let (r, source) = try run(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Ségou \"S\"","n":3,"x":null,"ok":true},"geometry":{"type":"Polygon","coordinates":[[[-6.5,13.1,250],[-6.0,13.1],[-6.0,13.6],[-6.5,13.1]]]}}]}"#)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(source.contains("package static let layer: EmbeddedPolygonLayer = EmbeddedPolygonLayer("))
        #expect(source.contains(#"("name", EmbeddedValue.string("Ségou \"S\"")),"#))
        #expect(source.contains(#"("n", EmbeddedValue.number(3.0)),"#))
        #expect(source.contains(#"("x", EmbeddedValue.null),"#) && source.contains(#"("ok", EmbeddedValue.bool(true)),"#))
        #expect(source.contains("ringsPerPolygon: [1],") && source.contains("positionsPerRing: [4]"))
        #expect(source.contains("extent: (west: -6.5, south: 13.1, east: -6.0, north: 13.6),"))
        #expect(source.contains("positionCount: 4,"))
    }

    @Test func anotherGeometryIsRefusedWithItsFeature() throws {
        let (r, _) = try run(#"{"features":[{"properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}]}"#)
        #expect(r.status == 1)
        #expect(r.stderr.contains("layer.geojson: feature 1: expected a Polygon or a MultiPolygon, found Point"), "\(r.stderr)")
    }

    @Test func brokenJSONIsRefusedWithItsByte() throws {
        let (truncated, _) = try run(#"{"features":["#)
        #expect(truncated.status == 1)
        #expect(truncated.stderr.contains("layer.geojson: byte 13: unexpected end of the file"), "\(truncated.stderr)")
        let (badMember, _) = try run(#"{"features":[{"properties":{"a":1 "b":2}}]}"#)
        #expect(badMember.status == 1)
        #expect(badMember.stderr.contains("layer.geojson: byte 34: expected '}'"), "\(badMember.stderr)")
    }
}

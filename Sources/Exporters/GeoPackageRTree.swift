import SQLiteDB

/// A layer's R-tree spatial index (the GeoPackage `gpkg_rtree_index` extension), packed in bulk
/// once the layer's points are in, instead of inserted point by point through SQLite's rtree
/// module: each such insert walks the tree through SQL queries on its shadow tables, and at 1M
/// points that was about three quarters of a GeoPackage's time.
///
/// The tree is packed by Sort-Tile-Recursive: the points sorted into vertical slices by x (by an
/// `ExternalSorter`, in bounded memory), each slice by y in memory, and cut into full leaves; then
/// the same for each level of nodes up to the root.
/// The nodes are written straight into the module's shadow tables (`_node`, `_rowid`, `_parent`)
/// in its own format (SQLite's ext/rtree/rtree.c): a node is a 4-byte header (the tree's depth,
/// in the root only, then the number of cells) and cells of a 64-bit id and four 32-bit floats
/// (min x, max x, min y, max y), all big-endian, padded to the node size. Coordinates are rounded
/// outwards to floats as the module rounds them, so each box holds its point. The module reads
/// the result as any tree it built itself; `rtreecheck()` verifies it in the tests.
struct GeoPackageRTree {
    /// The index's virtual table, `rtree_<table>_geom`.
    let index: String
    let database: SQLiteDatabase
    /// The GeoPackage, for messages.
    let path: String

    /// A point of the layer: its feature's fid and its position in the layer's CRS. Points are
    /// ordered by x, then fid (one order whatever the sorter's run size): the order the tree's
    /// slices are cut in.
    struct Point: BitwiseCopyable, Comparable {
        var fid: Int64
        var x: Double
        var y: Double

        static func < (a: Point, b: Point) -> Bool { (a.x, a.fid) < (b.x, b.fid) }
    }

    /// A point's leaf, for the module's `_rowid` table, ordered by fid.
    private struct LeafOf: BitwiseCopyable, Comparable {
        var fid: Int64
        var node: Int64

        static func < (a: LeafOf, b: LeafOf) -> Bool { a.fid < b.fid }
    }

    /// The module's node size for two dimensions in a 4 KiB page: min(page - 64, 4 + 24 * 51).
    static let cellsPerNode = 51
    static let cellBytes = 24
    static let nodeBytes = 4 + cellBytes * cellsPerNode

    /// A node's entry in its parent: its number and its box.
    struct Entry {
        var id: Int64
        var box: (minX: Float, maxX: Float, minY: Float, maxY: Float)
    }

    /// Fills the (just created, empty) index from `points`, drained here.
    ///
    /// The leaves' boxes go to a temporary table, and SQLite's sorter orders them for the level
    /// above: at 10M points there are 196k leaves, and holding them in an array (with the sort's
    /// scratch) was 9 MiB of the writer's peak. The levels above are a fiftieth of that and are
    /// packed in memory. Each point's leaf is sorted by fid, so that `_rowid` is appended to.
    func fill(from points: ExternalSorter<Point>) throws(ExportError) {
        let count = points.count
        let perSlice = Self.sliceSize(count)
        let leavesOf = ExternalSorter<LeafOf>(directory: points.directory)
        let nodes = try sqlite { () throws(SQLiteError) in try database.prepare("INSERT OR REPLACE INTO \(quoted("_node")) VALUES (?, ?)") }
        try sqlite { () throws(SQLiteError) in
            try database.execute("CREATE TEMP TABLE minusma_level (id INTEGER, minx REAL, maxx REAL, miny REAL, maxy REAL, cx REAL, cy REAL)")
        }
        let leafBox = try sqlite { () throws(SQLiteError) in try database.prepare("INSERT INTO temp.minusma_level VALUES (?, ?, ?, ?, ?, ?, ?)") }
        var nextNode: Int64 = 2
        var leafCount = 0
        var slice: [Point] = []
        var leaf: [Entry] = []

        /// The slice's points sorted by y and cut into leaves (or the root, when it is all there is).
        func closeSlice() throws(ExportError) {
            slice.sort { ($0.y, $0.fid) < ($1.y, $1.fid) }
            let alone = count <= Self.cellsPerNode
            var start = 0
            while start < slice.count {
                let end = min(start + Self.cellsPerNode, slice.count)
                leaf.removeAll(keepingCapacity: true)
                for p in slice[start..<end] {
                    leaf.append(Entry(id: p.fid, box: (Self.down(p.x), Self.up(p.x), Self.down(p.y), Self.up(p.y))))
                }
                let node: Int64 = alone ? 1 : nextNode
                try sqlite { () throws(SQLiteError) in
                    try nodes.run([.integer(node), .blob(Self.blob(leaf, depth: alone ? 0 : nil))])
                    if !alone { try Self.insertBox(leafBox, Entry(id: node, box: Self.union(leaf))) }
                }
                if !alone {
                    nextNode += 1
                    leafCount += 1
                }
                for p in slice[start..<end] { try append(LeafOf(fid: p.fid, node: node), to: leavesOf) }
                start = end
            }
            slice.removeAll(keepingCapacity: true)
        }
        try points.drain { (p) throws(ExportError) in
            slice.append(p)
            if slice.count == perSlice { try closeSlice() }
        }
        if !slice.isEmpty { try closeSlice() }
        if leafCount > 0 {
            try sqlite { () throws(SQLiteError) in try packUpperLevels(leafCount: leafCount, nextNode: nextNode, nodes: nodes) }
        }
        // Each point's leaf, in fid order so the `_rowid` table is appended to, not shuffled.
        let rowids = try sqlite { () throws(SQLiteError) in
            try database.execute("DROP TABLE temp.minusma_level")
            return try database.prepare("INSERT INTO \(quoted("_rowid")) (rowid, nodeno) VALUES (?, ?)")
        }
        try leavesOf.drain { (pair) throws(ExportError) in
            try sqlite { () throws(SQLiteError) in try Self.insertPair(rowids, pair.fid, pair.node) }
        }
    }

    /// The nodes above the stored leaves, up to the root (node 1).
    private func packUpperLevels(leafCount: Int, nextNode first: Int64, nodes: SQLiteStatement) throws(SQLiteError) {
        let parents = try database.prepare("INSERT INTO \(quoted("_parent")) VALUES (?, ?)")
        var nextNode = first
        func writeNode<C: Collection<Entry>>(_ cells: C) throws(SQLiteError) -> Entry {
            let node = nextNode
            nextNode += 1
            try nodes.run([.integer(node), .blob(Self.blob(cells, depth: nil))])
            for child in cells { try Self.insertPair(parents, child.id, node) }
            return Entry(id: node, box: Self.union(cells))
        }
        var depth = 1
        var level: [Entry] = []
        if leafCount > Self.cellsPerNode {
            try packStoredLeaves(leafCount) { (group) throws(SQLiteError) in level.append(try writeNode(group)) }
            depth += 1
        } else {
            level = try storedLeaves()
        }
        while level.count > Self.cellsPerNode {
            var upper: [Entry] = []
            try Self.pack(&level) { (group) throws(SQLiteError) in upper.append(try writeNode(group)) }
            level = upper
            depth += 1
        }
        try nodes.run([.integer(1), .blob(Self.blob(level, depth: depth))])
        for child in level { try Self.insertPair(parents, child.id, 1) }
    }

    private func sqlite<T>(_ body: () throws(SQLiteError) -> T) throws(ExportError) -> T {
        do { return try body() } catch { throw .geoPackage(path: path, message: error.description) }
    }

    private func append(_ pair: LeafOf, to sorter: ExternalSorter<LeafOf>) throws(ExportError) {
        do { try sorter.append(pair) } catch { throw .output(error) }
    }

    /// The stored leaves cut into groups of a node each, in the order `pack` would cut them: the
    /// sort keys are the same float sums, stored exactly as doubles.
    private func packStoredLeaves(_ leafCount: Int, _ body: ([Entry]) throws(SQLiteError) -> Void) throws(SQLiteError) {
        let perSlice = Self.sliceSize(leafCount)
        let sorted = try database.prepare("""
            SELECT id, minx, maxx, miny, maxy, s FROM (SELECT *, (ROW_NUMBER() OVER (ORDER BY cx, id) - 1) / \(perSlice) AS s
            FROM temp.minusma_level) ORDER BY s, cy, id
            """)
        var group: [Entry] = []
        var slice: Int64?
        while try sorted.step() {
            let s = sorted.int64(5)
            if !group.isEmpty, slice != s || group.count == Self.cellsPerNode {
                try body(group)
                group.removeAll(keepingCapacity: true)
            }
            slice = s
            group.append(Self.storedEntry(sorted))
        }
        if !group.isEmpty { try body(group) }
    }

    /// The stored leaves in the order they were written.
    private func storedLeaves() throws(SQLiteError) -> [Entry] {
        let rows = try database.prepare("SELECT id, minx, maxx, miny, maxy FROM temp.minusma_level ORDER BY rowid")
        var entries: [Entry] = []
        while try rows.step() { entries.append(Self.storedEntry(rows)) }
        return entries
    }

    private static func storedEntry(_ row: SQLiteStatement) -> Entry {
        Entry(id: row.int64(0), box: (Float(row.double(1)), Float(row.double(2)), Float(row.double(3)), Float(row.double(4))))
    }

    /// A node's box and the float sums `pack` sorts by, bound value by value.
    private static func insertBox(_ statement: SQLiteStatement, _ e: Entry) throws(SQLiteError) {
        statement.bind(1, integer: e.id)
        statement.bind(2, real: Double(e.box.minX))
        statement.bind(3, real: Double(e.box.maxX))
        statement.bind(4, real: Double(e.box.minY))
        statement.bind(5, real: Double(e.box.maxY))
        statement.bind(6, real: Double(e.box.minX + e.box.maxX))
        statement.bind(7, real: Double(e.box.minY + e.box.maxY))
        try statement.execute()
    }

    /// A child and its node (a point and its leaf, a node and its parent), bound value by value
    /// (a million of them: no boxed arrays).
    private static func insertPair(_ statement: SQLiteStatement, _ fid: Int64, _ node: Int64) throws(SQLiteError) {
        statement.bind(1, integer: fid)
        statement.bind(2, integer: node)
        try statement.execute()
    }

    private func quoted(_ suffix: String) -> String {
        "\"" + (index + suffix).split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    /// Cuts a level's entries into groups of a node each, by STR: slices by the boxes' centre x,
    /// each slice sorted by centre y. Sorted in place and handed out as slices of `entries`: at 10M
    /// points a level holds 196k entries, and copies of it were most of the writer's memory.
    static func pack(_ entries: inout [Entry], _ body: (ArraySlice<Entry>) throws(SQLiteError) -> Void) throws(SQLiteError) {
        let perSlice = sliceSize(entries.count)
        entries.sort { ($0.box.minX + $0.box.maxX, $0.id) < ($1.box.minX + $1.box.maxX, $1.id) }
        var start = 0
        while start < entries.count {
            let end = min(start + perSlice, entries.count)
            entries[start..<end].sort { ($0.box.minY + $0.box.maxY, $0.id) < ($1.box.minY + $1.box.maxY, $1.id) }
            var i = start
            while i < end {
                let next = min(i + cellsPerNode, end)
                try body(entries[i..<next])
                i = next
            }
            start = end
        }
    }

    /// STR's slice: about sqrt(n / 51) nodes' worth of the `count` entries, as many slices as nodes per slice.
    static func sliceSize(_ count: Int) -> Int {
        let nodeCount = (count + cellsPerNode - 1) / cellsPerNode
        var slices = 1
        while slices * slices < nodeCount { slices += 1 }
        return slices * cellsPerNode
    }

    static func union<C: Collection<Entry>>(_ entries: C) -> (minX: Float, maxX: Float, minY: Float, maxY: Float) {
        var b = entries[entries.startIndex].box
        for e in entries.dropFirst() {
            b = (min(b.minX, e.box.minX), max(b.maxX, e.box.maxX), min(b.minY, e.box.minY), max(b.maxY, e.box.maxY))
        }
        return b
    }

    /// A node's bytes; `depth` only for the root.
    static func blob<C: Collection<Entry>>(_ cells: C, depth: Int?) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: nodeBytes)
        put16(UInt16(depth ?? 0), at: 0, in: &out)
        put16(UInt16(cells.count), at: 2, in: &out)
        var at = 4
        for cell in cells {
            put64(UInt64(bitPattern: cell.id), at: at, in: &out)
            put32(cell.box.minX.bitPattern, at: at + 8, in: &out)
            put32(cell.box.maxX.bitPattern, at: at + 12, in: &out)
            put32(cell.box.minY.bitPattern, at: at + 16, in: &out)
            put32(cell.box.maxY.bitPattern, at: at + 20, in: &out)
            at += cellBytes
        }
        return out
    }

    private static func put16(_ v: UInt16, at i: Int, in out: inout [UInt8]) {
        out[i] = UInt8(v >> 8); out[i + 1] = UInt8(v & 0xFF)
    }

    private static func put32(_ v: UInt32, at i: Int, in out: inout [UInt8]) {
        for k in 0..<4 { out[i + k] = UInt8((v >> (24 - 8 * UInt32(k))) & 0xFF) }
    }

    private static func put64(_ v: UInt64, at i: Int, in out: inout [UInt8]) {
        for k in 0..<8 { out[i + k] = UInt8((v >> (56 - 8 * UInt64(k))) & 0xFF) }
    }

    // The module's rounding (rtreeValueDown / rtreeValueUp): a float at or below the value for a
    // box's minimum, at or above it for its maximum.
    private static let towards = 1.0 - 1.0 / 8_388_608.0
    private static let away = 1.0 + 1.0 / 8_388_608.0

    static func down(_ d: Double) -> Float {
        let f = Float(d)
        return Double(f) > d ? Float(d * (d < 0 ? away : towards)) : f
    }

    static func up(_ d: Double) -> Float {
        let f = Float(d)
        return Double(f) < d ? Float(d * (d < 0 ? towards : away)) : f
    }
}

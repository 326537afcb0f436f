/// Places labels next to points without overlaps: each label tries positions around its point,
/// nearest first, then farther out with a leader line, and takes the first that overlaps nothing
/// already placed (labels, symbols, reserved areas) and stays inside the frame. Deterministic:
/// the same input gives the same placement.
struct LabelPlacer {
    struct Box: Equatable {
        var x: Double, y: Double, w: Double, h: Double

        func overlaps(_ o: Box, padding: Double = 2) -> Bool {
            x < o.x + o.w + padding && o.x < x + w + padding && y < o.y + o.h + padding && o.y < y + h + padding
        }
    }

    struct Placement {
        /// The label's box (text is drawn from its top-left corner).
        let box: Box
        /// Whether the text is right-aligned against the point (label on the left).
        let alignRight: Bool
        /// A leader line from the point to the label, when the label sits away from its point.
        let leader: (Double, Double, Double, Double)?
    }

    private(set) var obstacles: [Box] = []
    let frame: Box

    init(frame: Box) {
        self.frame = frame
    }

    mutating func reserve(_ box: Box) {
        obstacles.append(box)
    }

    /// Places a `w` x `h` label for a point; nil when nothing fits (the caller then draws the
    /// point unlabelled and lists it in the legend).
    mutating func place(point p: (Double, Double), w: Double, h: Double, radius: Double) -> Placement? {
        for distance in [radius + 4, radius + 22, radius + 44, radius + 70] {
            let far = distance > radius + 4
            // (dx, dy) of the box's anchor corner relative to the point, by preference.
            let candidates: [(Double, Double, Bool)] = [
                (distance, -h / 2, false),                    // right
                (-distance - w, -h / 2, true),                // left
                (distance * 0.7, -distance * 0.7 - h, false), // above right
                (distance * 0.7, distance * 0.7, false),      // below right
                (-distance * 0.7 - w, -distance * 0.7 - h, true), // above left
                (-distance * 0.7 - w, distance * 0.7, true),  // below left
                (-w / 2, -distance - h, false),               // above
                (-w / 2, distance, false),                    // below
            ]
            for (dx, dy, right) in candidates {
                let box = Box(x: p.0 + dx, y: p.1 + dy, w: w, h: h)
                guard box.x >= frame.x + 4, box.y >= frame.y + 4,
                      box.x + box.w <= frame.x + frame.w - 4, box.y + box.h <= frame.y + frame.h - 4 else { continue }
                if obstacles.contains(where: { $0.overlaps(box) }) { continue }
                var leader: (Double, Double, Double, Double)? = nil
                if far {
                    // From the symbol's edge to the nearest point of the box.
                    let tx = min(max(p.0, box.x), box.x + box.w), ty = min(max(p.1, box.y), box.y + box.h)
                    let len = ((tx - p.0) * (tx - p.0) + (ty - p.1) * (ty - p.1)).squareRoot()
                    if len > radius + 1 {
                        leader = (p.0 + (tx - p.0) / len * radius, p.1 + (ty - p.1) / len * radius, tx, ty)
                    }
                }
                obstacles.append(box)
                return Placement(box: box, alignRight: right, leader: leader)
            }
        }
        return nil
    }
}

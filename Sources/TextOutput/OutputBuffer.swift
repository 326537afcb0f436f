/// Text output with its own buffer, flushed to a sink in large writes. Writers append UTF-8 with
/// the escaping their format needs; numbers are formatted by hand (faster than `String(format:)`
/// and identical on every platform, so exports are byte-for-byte reproducible).
public final class OutputBuffer {
    public let sink: ByteSink
    // Internal but usable from inlined code: the appends below are inlined into the writers of
    // other modules (a call per byte appended was a tenth of the KML writer's instructions).
    @usableFromInline @exclusivity(unchecked)
    var storage: UnsafeMutablePointer<UInt8>
    @usableFromInline @exclusivity(unchecked)
    var capacity: Int
    @usableFromInline @exclusivity(unchecked)
    var length = 0
    /// Bytes appended and not yet flushed.
    public var count: Int { length }
    /// Bytes handed to the sink so far.
    @exclusivity(unchecked)
    public private(set) var flushedBytes = 0

    public init(sink: ByteSink, capacity: Int = 1 << 20) {
        self.sink = sink
        self.capacity = capacity
        self.storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    public func flush() throws(OutputError) {
        guard length > 0 else { return }
        try sink.write(UnsafeRawBufferPointer(start: storage, count: length))
        flushedBytes += length
        length = 0
    }

    /// Drops the bytes appended since the last flush, unwritten: for a scratch buffer whose
    /// bytes are copied elsewhere (a sink that keeps what it gets would grow with every use).
    public func removeUnflushed() { length = 0 }

    /// Flushes when the buffer is more than three-quarters full: call between records.
    @inlinable @inline(__always)
    public func flushIfFull() throws(OutputError) {
        if length > capacity - capacity / 4 { try flush() }
    }

    @inlinable @inline(__always)
    func reserve(_ n: Int) {
        if length + n > capacity { grow(n) }
    }

    @usableFromInline
    func grow(_ n: Int) {
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: max(capacity * 2, length + n))
        bigger.update(from: storage, count: length)
        storage.deallocate()
        storage = bigger
        capacity = max(capacity * 2, length + n)
    }

    @inlinable @inline(__always)
    public func append(byte: UInt8) {
        reserve(1)
        storage[length] = byte
        length += 1
    }

    @inlinable
    public func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count > 0 else { return }
        reserve(bytes.count)
        (storage + length).update(from: bytes.baseAddress!, count: bytes.count)
        length += bytes.count
    }

    /// A constant (string literals resolve here: no String is made).
    @inlinable @inline(__always)
    public func append(_ s: StaticString) {
        s.withUTF8Buffer { append($0) }
    }

    /// A string's UTF-8, as is (no escaping).
    public func append(string s: String) {
        if let done: Void = s.utf8.withContiguousStorageIfAvailable({ append($0) }) { return done }
        var s = s
        s.withUTF8 { append($0) }
    }

    /// The decimal digits of an integer.
    public func append(integer v: Int) {
        var n = v.magnitude
        var width = 1
        var probe = n / 10
        while probe > 0 { width += 1; probe /= 10 }
        reserve(width + 1)
        if v < 0 { storage[length] = 45; length += 1 }
        var i = length + width
        repeat {
            i -= 1
            storage[i] = UInt8(48 + n % 10)
            n /= 10
        } while n > 0
        length += width
    }

    /// Appends again bytes appended earlier and not yet flushed (positions from `count`).
    public func appendCopy(of range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= length, "range already flushed")
        reserve(range.count)
        (storage + length).update(from: storage + range.lowerBound, count: range.count)
        length += range.count
    }

    /// The bytes appended and not yet flushed.
    public var unflushed: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: storage, count: length)
    }

    /// 10^p for the decimals written (0...9): exact doubles.
    @inline(__always)
    private static func powerOfTen(_ p: Int) -> Double {
        var v = 1.0
        for _ in 0..<p { v *= 10 }
        return v
    }

    /// `value` rounded to `decimals` places (0...9), trailing zeros dropped: 2.5 -> `2.5`,
    /// -3.57060 -> `-3.5706`, 12.0 -> `12`. Values too large for exact scaling use `number`.
    public func append(fixed value: Double, decimals: Int) {
        let scale = Self.powerOfTen(decimals)
        guard value.isFinite, abs(value) * scale < 9.0e15 else { append(number: value); return }
        let scaled = (value * scale).rounded()
        var units = UInt64(abs(scaled))
        var places = decimals
        // Drop trailing zeros of the fraction.
        while places > 0 && units % 10 == 0 {
            units /= 10
            places -= 1
        }
        // Digits, least significant first, into a scratch area at the end of the buffer.
        reserve(24)
        if units != 0 && scaled < 0 {
            storage[length] = 45
            length += 1
        }
        var digits = 0
        var n = units
        repeat {
            digits += 1
            n /= 10
        } while n > 0
        let width = max(digits, places + 1)          // at least one digit before the point
        let total = width + (places > 0 ? 1 : 0)
        var i = length + total
        var remaining = units
        var written = 0
        while written < width {
            if places > 0 && written == places {
                i -= 1
                storage[i] = 46
            }
            i -= 1
            storage[i] = UInt8(48 + remaining % 10)
            remaining /= 10
            written += 1
        }
        length += total
    }

    /// The shortest text that reads back as the same double; integral values without `.0`.
    public func append(number value: Double) {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            append(integer: Int(value))
        } else {
            append(string: value.description)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses decimal numbers from UTF-8 bytes: `-3.5706`, `+12`, `1e3`. Plain decimals with at most
/// 15 significant digits take an exact fast path (an integer below 2^53 divided or multiplied by an
/// exact power of ten is correctly rounded); anything else goes through `strtod`. `nan`, `inf`,
/// hexadecimal and empty input are rejected.
public enum DecimalParsing {
    /// 10^p for p in 0...22, all exact in a Double.
    @inline(__always)
    static func powerOfTen(_ p: Int) -> Double {
        switch p {
        case 0: return 1
        case 1: return 1e1
        case 2: return 1e2
        case 3: return 1e3
        case 4: return 1e4
        case 5: return 1e5
        case 6: return 1e6
        case 7: return 1e7
        case 8: return 1e8
        case 9: return 1e9
        case 10: return 1e10
        case 11: return 1e11
        case 12: return 1e12
        case 13: return 1e13
        case 14: return 1e14
        case 15: return 1e15
        case 16: return 1e16
        case 17: return 1e17
        case 18: return 1e18
        case 19: return 1e19
        case 20: return 1e20
        case 21: return 1e21
        default: return 1e22
        }
    }

    /// The bounds of `b` without leading and trailing spaces and tabs.
    @inline(__always)
    static func trimmedBounds(_ b: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        var i = 0, n = b.count
        while i < n, b[i] == 32 || b[i] == 9 { i += 1 }
        while n > i, b[n - 1] == 32 || b[n - 1] == 9 { n -= 1 }
        return (i, n)
    }

    public static func double(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        let (start, n) = trimmedBounds(b)
        var i = start
        guard i < n else { return nil }
        let numberStart = i
        var negative = false
        if b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
            negative = b[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0, fractionDigits = 0
        var sawDot = false, sawDigit = false
        var j = i
        while j < n {
            let c = b[j]
            if c >= 48 && c <= 57 {
                sawDigit = true
                if sawDot { fractionDigits += 1 }
                if mantissa != 0 || c != 48 {
                    digits += 1
                    mantissa = mantissa &* 10 &+ UInt64(c - 48)
                }
            } else if c == UInt8(ascii: ".") && !sawDot {
                sawDot = true
            } else if (c == UInt8(ascii: "e") || c == UInt8(ascii: "E")) && sawDigit {
                return slow(b, from: numberStart, to: n)
            } else {
                return nil
            }
            j += 1
        }
        guard sawDigit else { return nil }
        guard digits <= 15, fractionDigits <= 22 else { return slow(b, from: numberStart, to: n) }
        let value = Double(mantissa) / powerOfTen(fractionDigits)
        return negative ? -value : value
    }

    public static func double(_ text: some StringProtocol) -> Double? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { double(UnsafeBufferPointer($0)) }
    }

    /// `strtod` on a NUL-terminated copy, accepting only a full decimal match.
    private static func slow(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Double? {
        var copy = Array(b[from..<to])
        for c in copy where !(c >= 48 && c <= 57) && c != 43 && c != 45 && c != 46 && c != 101 && c != 69 {
            return nil
        }
        copy.append(0)
        return copy.withUnsafeBufferPointer { p -> Double? in
            let start = UnsafeRawPointer(p.baseAddress!).assumingMemoryBound(to: CChar.self)
            var end: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(start, &end)
            guard let end, end - UnsafeMutablePointer(mutating: start) == to - from, v.isFinite else { return nil }
            return v
        }
    }

    /// A decimal integer (optional sign), within Int's range.
    public static func integer(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        let (start, n) = trimmedBounds(b)
        var i = start
        guard i < n else { return nil }
        var negative = false
        if b[i] == 45 || b[i] == 43 {
            negative = b[i] == 45
            i += 1
        }
        guard i < n, n - i <= 18 else { return nil }
        var v = 0
        while i < n {
            let d = Int(b[i]) - 48
            guard d >= 0 && d <= 9 else { return nil }
            v = v * 10 + d
            i += 1
        }
        return negative ? -v : v
    }
}

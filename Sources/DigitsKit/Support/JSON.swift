/// `s` as a JSON string literal: the one escaping used for model headers and printed JSON.
public func jsonString(_ s: String) -> String {
    // Most strings (base64, digits' verdicts, plain file names) need no escape at all.
    if s.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) { return "\"" + s + "\"" }
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        // As JSONEncoder writes them, so that the hand-written `Answer.json` is its text exactly.
        case "\u{8}": out += "\\b"
        case "\u{c}": out += "\\f"
        default:
            if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// A finite `Float` as JSONEncoder writes it (its shortest round-trip spelling, without a
/// trailing ".0"); nil for NaN and the infinities, which JSON has no spelling for.
func jsonNumber(_ x: Float) -> String? {
    guard x.isFinite else { return nil }
    let text = x.description
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
}

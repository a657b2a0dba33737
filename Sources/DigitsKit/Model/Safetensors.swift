import Foundation

/// Model files in the safetensors format: an 8-byte little-endian header length, a JSON header
/// naming each tensor's dtype, shape and byte range, then the little-endian float32 data.
/// Python's `safetensors` reads them as they are.
///
/// Tensors, each layer's weights in doc 001's convention (n_(l−1) × n_l): for doc 001's network
/// of one hidden layer `W_ih` [inputs, hidden], `W_ho` [hidden, outputs], `b_h` [hidden], `b_o`
/// [outputs] (format version 1, as every file before deeper networks); for any other depth, or
/// a hidden activation other than sigmoid, `W_1` … `W_L` and `b_1` … `b_L`, W_l [n_(l−1), n_l]
/// feeding layer l from layer l − 1 (format version 2). `__metadata__` holds the facts of
/// `Model.metadata` plus the format, its version and the activations.
public enum Safetensors {
    /// Headers larger than this are refused before they are parsed.
    public static let headerLimit = 1 << 20

    /// The most weight layers a model file may declare.
    static let maxLayers = 16

    /// The names of a network's weights and biases, input side first: doc 001's for a network
    /// of `depth` 2 (one hidden layer), W_l and b_l for any other.
    static func parameterNames(depth: Int) -> (W: [String], b: [String]) {
        depth == 2 ? (["W_ih", "W_ho"], ["b_h", "b_o"]) : ((1...depth).map { "W_\($0)" }, (1...depth).map { "b_\($0)" })
    }

    /// The format version of a network's file: 1 for doc 001's layout (one sigmoid hidden layer),
    /// which every reader of version 1 reads; 2 for any other depth or activation.
    static func formatVersion(of n: Network) -> String {
        n.layers.count == 2 && n.hiddenActivation == .sigmoid ? "1" : "2"
    }

    /// The file's bytes. Keys are written in a fixed order, so equal models give equal files.
    public static func encode(_ model: Model) -> [UInt8] {
        let n = model.network
        func tensors(of n: Network, prefix: String) -> [(String, [Int], [Float])] {
            let names = parameterNames(depth: n.layers.count)
            return zip(names.W, n.layers).map { name, layer in (prefix + name, [layer.inputCount, layer.outputCount], layer.W) }
                + zip(names.b, n.layers).map { name, layer in (prefix + name, [layer.outputCount], layer.b) }
        }
        let tensors = tensors(of: n, prefix: "") + (model.velocity.map { tensors(of: $0, prefix: "velocity.") } ?? [])
        var metadata = model.metadata
        metadata["format"] = Model.format
        metadata["format_version"] = formatVersion(of: n)
        metadata["input_scaling"] = model.inputs.rawValue
        if formatVersion(of: n) != "1" { metadata["hidden_activation"] = n.hiddenActivation.rawValue }
        metadata["output_activation"] = n.outputLayer.rawValue
        let meta = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }.joined(separator: ",")
        var entries = ["\"__metadata__\":{\(meta)}"]
        var offset = 0
        for (name, shape, values) in tensors {
            let end = offset + values.count * 4
            entries.append("\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        // Pad with spaces to a multiple of 8, so the data is aligned.
        while (header.count + 8) % 8 != 0 { header.append(0x20) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        var length = UInt64(header.count).littleEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        bytes += header
        for (_, _, values) in tensors {
            for v in values {
                var bits = v.bitPattern.littleEndian
                withUnsafeBytes(of: &bits) { bytes.append(contentsOf: $0) }
            }
        }
        return bytes
    }

    /// Writes `model` to `path` atomically.
    public static func save(_ model: Model, to path: String) throws(WriteError) {
        try AtomicFile.write(encode(model), to: path)
    }

    /// Reads and checks a model file.
    public static func load(_ path: String) throws(ModelError) -> Model {
        switch readWholeFile(path, limit: fileLimit) {
        case .success(let bytes):
            return try decode(bytes, path: path)
        case .failure(.missing):
            throw .unreadable(path: path, reason: "no such file")
        case .failure(.unreadable(let reason)):
            throw .unreadable(path: path, reason: reason)
        case .failure(.tooLarge(let size)):
            throw .unreadable(path: path, reason: "\(size) bytes, over the \(fileLimit)-byte limit for a model")
        }
    }

    /// The product of `shape`, or nil when it overflows or is over `limit`.
    static func elementCount(_ shape: [Int], atMost limit: Int) -> Int? {
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= limit else { return nil }
            count = product
        }
        return count
    }

    /// The first key that appears twice in one object of the header, at any depth (the tensor
    /// entries or `__metadata__`), with the key the object stands under (nil: the header
    /// itself); nil when there is none.
    /// JSONSerialization keeps one of two equal keys silently: a file that names a tensor or a
    /// metadata entry twice must be refused as such, not read with one of them dropped (or
    /// refused for the gap the dropped tensor leaves). Scans strings and nesting only; the
    /// header is parsed properly afterwards.
    static func duplicateKey(_ header: ArraySlice<UInt8>) -> (key: String, in: String?)? {
        /// An open object (`keys` not nil) or array, the key it stands under, its latest key.
        struct Container { var keys: Set<String>?; let label: String; var latest = "" }
        var open: [Container] = []
        // The last string literal, quotes included, while only blanks follow it: a key if a colon comes.
        var (i, lastString) = (header.startIndex, Range<Int>?.none)
        while i < header.endIndex {
            let byte = header[i]
            if byte == UInt8(ascii: "\"") {
                var j = i + 1
                while j < header.endIndex && header[j] != UInt8(ascii: "\"") { j += header[j] == UInt8(ascii: "\\") ? 2 : 1 }
                lastString = i..<min(j + 1, header.endIndex)
                i = j + 1
                continue
            }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                // An object inside an array is named after the array's key.
                let label = open.last.map { $0.keys == nil ? $0.label : $0.latest } ?? ""
                open.append(Container(keys: byte == UInt8(ascii: "{") ? [] : nil, label: label))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !open.isEmpty { open.removeLast() }
            case UInt8(ascii: ":"):
                if let literal = lastString, let last = open.indices.last, open[last].keys != nil,
                   let key = decodedString(header[literal]) {
                    if !open[last].keys!.insert(key).inserted { return (key, last == 0 ? nil : open[last].label) }
                    open[last].latest = key
                }
            default: break
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: ":"): break
            default: lastString = nil
            }
            i += 1
        }
        return nil
    }

    /// A JSON string literal (quotes included) as the parser reads it: escapes decoded, so that
    /// `"b_o"` and `"b\u005fo"` are the same key, as they are to JSONSerialization (and two
    /// spellings Swift's `String` holds equal, é and e + U+0301, are one key too).
    private static func decodedString(_ literal: ArraySlice<UInt8>) -> String? {
        guard literal.contains(UInt8(ascii: "\\")) else { return String(decoding: literal.dropFirst().dropLast(), as: UTF8.self) }
        return (try? JSONSerialization.jsonObject(with: Data(literal), options: .fragmentsAllowed)) as? String
    }

    /// Model files larger than this are refused before they are read.
    public static let fileLimit = 1 << 30

    /// Parses a model from `bytes`, checking everything: header length and JSON, dtypes, shapes,
    /// offsets (in range, not overlapping, covering the data), finite values, and metadata.
    public static func decode(_ bytes: [UInt8], path: String) throws(ModelError) -> Model {
        guard bytes.count >= 8 else { throw .tooSmall(path: path, size: bytes.count) }
        var declared: UInt64 = 0
        for i in (0..<8).reversed() { declared = declared << 8 | UInt64(bytes[i]) }
        let available = bytes.count - 8
        guard declared <= UInt64(available) else { throw .headerTooLarge(path: path, declared: declared, available: available) }
        guard declared <= UInt64(headerLimit) else {
            throw .invalidHeader(path: path, reason: "\(declared) bytes, over the \(headerLimit)-byte limit")
        }
        let headerEnd = 8 + Int(declared)
        let header: [String: Any]
        do {
            let object = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd]), options: [])
            guard let dictionary = object as? [String: Any] else {
                throw ModelError.invalidHeader(path: path, reason: "not a JSON object")
            }
            header = dictionary
        } catch let error as ModelError {
            throw error
        } catch {
            throw .invalidHeader(path: path, reason: "invalid JSON")
        }

        if let (key, object) = duplicateKey(bytes[8..<headerEnd]) {
            throw .invalidHeader(path: path, reason: "the key \(jsonString(key)) appears twice in \(object.map(jsonString) ?? "the header")")
        }
        var metadata: [String: String] = [:]
        if let meta = header["__metadata__"] {
            guard let dictionary = meta as? [String: Any] else { throw .invalidHeader(path: path, reason: "__metadata__ is not an object") }
            for (k, v) in dictionary {
                guard let s = v as? String else { throw .invalidHeader(path: path, reason: "__metadata__ value \(k) is not a string") }
                metadata[k] = s
            }
        }
        // The depth the file declares: doc 001's names, or W_1, W_2, … without a gap.
        // (None of them: doc 001's names are expected, and the first missing one is named.)
        let numbered = (1...maxLayers).prefix { header["W_\($0)"] != nil }.count
        let depth = header["W_ih"] != nil || numbered == 0 ? 2 : numbered
        let names = parameterNames(depth: depth)
        let parameters = names.W + names.b
        // The tensors a file may hold: the parameters, and in checkpoints their momentum velocity.
        let order = parameters + parameters.map { "velocity." + $0 }
        for name in header.keys.sorted() where name != "__metadata__" && !order.contains(name) {
            throw .unexpectedTensor(path: path, name: name)
        }

        struct Entry { let name: String; let shape: [Int]; let begin: Int; let end: Int }
        var entries: [String: Entry] = [:]
        let dataSize = bytes.count - headerEnd
        for name in order {
            guard let raw = header[name] else { continue }
            guard let info = raw as? [String: Any] else { throw .invalidHeader(path: path, reason: "entry \(name) is not an object") }
            guard let dtype = info["dtype"] as? String else { throw .invalidHeader(path: path, reason: "entry \(name) has no dtype") }
            guard dtype == "F32" else { throw .wrongDtype(path: path, name: name, found: dtype) }
            guard let shape = integers(info["shape"]), shape.allSatisfy({ $0 >= 0 && $0 <= 1 << 24 }) else {
                throw .invalidHeader(path: path, reason: "entry \(name) has no valid shape")
            }
            guard let offsets = integers(info["data_offsets"]), offsets.count == 2 else {
                throw .badOffsets(path: path, name: name, reason: "expected [begin, end]")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, end <= dataSize else {
                throw .badOffsets(path: path, name: name, reason: "[\(begin), \(end)] outside the \(dataSize) data bytes")
            }
            // Each dimension is at most 2²⁴, but their product need not fit an Int: count with
            // overflow checked, and refuse what could not be in a file under the size limit.
            guard let elements = elementCount(shape, atMost: fileLimit / 4) else {
                throw .invalidHeader(path: path, reason: "entry \(name) has shape \(shape), more values than a model file can hold")
            }
            guard end - begin == elements * 4 else {
                throw .badOffsets(path: path, name: name, reason: "\(counted(end - begin, "byte")) for \(counted(elements, "float32 value")) (expected \(elements * 4))")
            }
            entries[name] = Entry(name: name, shape: shape, begin: begin, end: end)
        }
        for name in names.W where entries[name] == nil { throw .missingTensor(path: path, name: name) }

        // The byte ranges must tile the data exactly: no overlap, no hole, nothing left over.
        var position = 0
        for entry in entries.values.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
            guard entry.begin == position else {
                throw .badOffsets(path: path, name: entry.name, reason: entry.begin < position
                    ? "overlaps the tensor before it (starts at \(entry.begin), before \(position))"
                    : "leaves a gap (starts at \(entry.begin), expected \(position))")
            }
            position = entry.end
        }
        guard position == dataSize else {
            throw .badOffsets(path: path, name: "(data)", reason: "\(counted(dataSize - position, "byte")) after the last tensor")
        }

        // Each layer takes the one before: W_l is [n_(l−1), n_l], n_0 the pixels, n_L the digits.
        var sizes = [Dataset.pixelCount]
        for (l, name) in names.W.enumerated() {
            let shape = entries[name]!.shape
            let isLast = l == depth - 1
            guard shape.count == 2, shape[0] == sizes[l], shape[1] >= 1, !isLast || shape[1] == 10 else {
                throw .wrongShape(path: path, name: name, expected: "[\(sizes[l]), \(isLast ? "10" : "units")]", found: shape)
            }
            sizes.append(shape[1])
        }
        var expectedShapes: [String: [Int]] = [:]
        for l in 0..<depth {
            expectedShapes[names.W[l]] = [sizes[l], sizes[l + 1]]
            expectedShapes[names.b[l]] = [sizes[l + 1]]
        }
        for name in order where entries[name] != nil {
            let expected = expectedShapes[name.hasPrefix("velocity.") ? String(name.dropFirst(9)) : name]!
            guard entries[name]!.shape == expected else { throw .wrongShape(path: path, name: name, expected: "\(expected)", found: entries[name]!.shape) }
        }
        let velocityNames = parameters.map { "velocity." + $0 }
        let velocityCount = velocityNames.filter { entries[$0] != nil }.count
        if velocityCount != 0 && velocityCount != velocityNames.count {
            throw .missingTensor(path: path, name: velocityNames.first { entries[$0] == nil }!)
        }

        func floats(_ entry: Entry) throws(ModelError) -> [Float] {
            var values = [Float](repeating: 0, count: (entry.end - entry.begin) / 4)
            for i in values.indices {
                let at = headerEnd + entry.begin + 4 * i
                let bits = UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
                let v = Float(bitPattern: bits)
                guard v.isFinite else { throw .notFinite(path: path, name: entry.name, index: i) }
                values[i] = v
            }
            return values
        }

        if let format = metadata["format"], format != Model.format {
            throw .badMetadata(path: path, key: "format", value: format, expected: "\"\(Model.format)\"")
        }
        if let version = metadata["format_version"], !["1", Model.formatVersion].contains(version) {
            throw .badMetadata(path: path, key: "format_version", value: version, expected: "\"1\" or \"\(Model.formatVersion)\" (made by a newer digits?)")
        }
        let outputLayer = try parse(OutputLayer.self, metadata, "output_activation", default: .sigmoid, path: path)
        let hiddenActivation = try parse(HiddenActivation.self, metadata, "hidden_activation", default: .sigmoid, path: path)
        let inputs = try parse(InputScaling.self, metadata, "input_scaling", default: .unit, path: path)
        func readNetwork(prefix: String) throws(ModelError) -> Network {
            var layers: [Layer] = []
            for l in 0..<depth {
                let bias = try entries[prefix + names.b[l]].map { (e) throws(ModelError) in try floats(e) }
                layers.append(Layer(inputCount: sizes[l], outputCount: sizes[l + 1], W: try floats(entries[prefix + names.W[l]]!), b: bias))
            }
            return Network(layers: layers, hiddenActivation: hiddenActivation, outputLayer: outputLayer)
        }
        let network = try readNetwork(prefix: "")
        let velocity = velocityCount > 0 ? try readNetwork(prefix: "velocity.") : nil
        metadata.removeValue(forKey: "format")
        metadata.removeValue(forKey: "format_version")
        return Model(network: network, inputs: inputs, metadata: metadata, velocity: velocity)
    }

    private static func parse<T: RawRepresentable & CaseIterable>(_: T.Type, _ metadata: [String: String], _ key: String,
                                                                 default value: T, path: String) throws(ModelError) -> T where T.RawValue == String {
        guard let raw = metadata[key] else { return value }
        guard let parsed = T(rawValue: raw) else {
            throw .badMetadata(path: path, key: key, value: raw, expected: "one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return parsed
    }

    /// A JSON array of integers, as `[Int]`; nil for anything else.
    private static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var out: [Int] = []
        for element in array {
            guard let number = element as? NSNumber else { return nil }
            let d = number.doubleValue
            guard d >= 0, d <= Double(1 << 53), d == d.rounded() else { return nil }
            out.append(Int(d))
        }
        return out
    }
}

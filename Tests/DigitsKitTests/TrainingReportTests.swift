import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import DigitsKit

/// The report of an untrained network (so that it makes plenty of mistakes) on a small set.
struct TrainingReportTests {
    static func dataset(count: Int = 120) -> Dataset {
        var r = Random(seed: 21)
        let images = (0..<count * 784).map { _ in r.below(4) == 0 ? UInt8(r.below(256)) : 0 }
        return Dataset(images: images, labels: (0..<count).map { _ in UInt8(r.below(10)) })
    }

    static func report(hidden: Int = 20, mistakes: Int = 48, seconds: Double? = nil) -> TrainingReport {
        let network = Network(hiddenCount: hidden, seed: 5)
        let history = [EpochReport(epoch: 1, loss: 0.09, accuracy: 0.91, validationAccuracy: 0.92, trainingAccuracy: 0.85, seconds: 0, examples: 0),
                       EpochReport(epoch: 2, loss: 0.05, accuracy: 0.95, validationAccuracy: 0.955, trainingAccuracy: 0.93, seconds: 0, examples: 0)]
        let metadata = Model.metadata(for: TrainingOptions(), network: network, history: history, testAccuracy: 0.95)
        let model = Model(network: network, inputs: .unit, metadata: metadata)
        return TrainingReport(model: model, modelSource: "m.safetensors", test: dataset(), testSource: "fixture <set> & co",
                              mistakeCount: mistakes, trainingSeconds: seconds)
    }

    @Test func mistakesAreWrongAndTheMostConfidentComeFirst() {
        let report = Self.report()
        #expect(report.evaluation.total == 120)
        #expect(report.mistakes.count == 48)
        #expect(report.mistakes.allSatisfy { $0.prediction.digit != $0.label })
        let confidences = report.mistakes.map(\.prediction.probability)
        #expect(confidences == confidences.sorted(by: >))
        // No mistake left out was more confident than the last one shown.
        let shown = Set(report.mistakes.map(\.index))
        let data = Self.dataset()
        for n in 0..<data.count where !shown.contains(n) {
            let p = report.model.predict(Array(data.image(n)).map(Float.init))
            if p.digit != Int(data.labels[n]) { #expect(p.probability <= confidences.last!) }
        }
        // Shown as ink on paper.
        let first = report.mistakes[0]
        #expect(first.image.pixels == data.image(first.index).map { 255 - $0 })
    }

    @Test func hiddenUnitTilesAreColumnsOfW_ihOnTheDivergingScale() {
        let report = Self.report(hidden: 7)
        let tiles = report.hiddenUnitTiles()
        #expect(tiles.count == 7)
        let n = report.model.network
        let j = 3
        let column = (0..<784).map { n.W_ih[$0 * 7 + j] }
        let strongest = column.indices.max { abs(column[$0]) < abs(column[$1]) }!
        let expected: RGB = column[strongest] > 0 ? ColorScale.diverging(1) : ColorScale.diverging(-1)
        #expect(tiles[j][strongest % 28, strongest / 28] == expected)
    }

    @Test func theHTMLIsOneWellFormedSelfContainedDocument() throws {
        let report = Self.report(hidden: 20)
        let html = report.html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        // Well-formed (Plot closes every element, so an XML parser reads it whole).
        let parser = XMLParser(data: Data(html.utf8))
        let collector = ElementCollector()
        parser.delegate = collector
        #expect(parser.parse(), "\(parser.parserError.map(String.init(describing:)) ?? "")")
        #expect(collector.count("svg") == 3)
        #expect(collector.count("section") == 7)
        #expect(collector.count("figure") == 48 + 10)
        #expect(collector.count("img") == 48 + 20 + 10)
        #expect(collector.count("script") == 0 && collector.count("link") == 0)
        // Every image is a data URI holding a PNG of 28×28.
        #expect(collector.sources.count == 78)
        for source in collector.sources {
            #expect(source.hasPrefix("data:image/png;base64,"))
            let bytes = [UInt8](Data(base64Encoded: String(source.dropFirst("data:image/png;base64,".count)))!)
            let image = try PNGImage.decode(bytes, path: "data URI")
            #expect(image.width == 28 && image.height == 28)
        }
        // Nothing to fetch: outside the data URIs, no URL of any scheme, no CSS import.
        let payloads = try NSRegularExpression(pattern: "data:image/png;base64,[A-Za-z0-9+/=]+")
        let rest = payloads.stringByReplacingMatches(in: html, range: NSRange(html.startIndex..., in: html), withTemplate: "")
        for reference in ["http:", "https:", "file:", "ftp:", "//", "url(", "@import", "data:"] {
            #expect(!rest.contains(reference), "the page refers to \(reference)")
        }
        #expect(html.contains("fixture &lt;set&gt; &amp; co"))
        #expect(html.contains("not recorded: model files hold no times"))
    }

    @Test func trainingTimeIsShownWhenGiven() {
        #expect(Self.report(seconds: 12.34).html().contains("12.3 s"))
    }

    @Test func theReliabilityDiagramHasABarPerAnsweredBinAndTheECE() {
        let bins = Calibration.reliability(probabilities: [0.95, 0.95, 0.55, 0.55], right: [true, false, true, true])
        let figure = Charts.reliability(bins, ece: 0.45, calibrated: true)
        let bars = figure.marks.filter { if case .rect = $0 { return true } else { return false } }
        #expect(bars.count == 2)
        let texts = figure.marks.compactMap { if case let .text(s, _, _, _, _, _, _) = $0 { return s } else { return nil } }
        #expect(texts.contains { $0.contains("ECE 45.00%") })
        #expect(Self.report().reliability.bins.reduce(0) { $0 + $1.count } == Self.report().evaluation.total)
    }

    @Test func everyFigureRastersToAPNG() throws {
        let figures = Self.report(hidden: 12).figures()
        #expect(figures.map(\.name) == ["learning-curves", "confusion", "reliability", "mistakes", "hidden-units", "back-query"])
        for (name, figure) in figures {
            let image = try PNGImage.decode(figure.png(), path: name)
            #expect(image.width == figure.width && image.height == figure.height)
            // Not blank: some pixels are far from white.
            #expect(image.pixels.filter { $0 < 128 }.count > 100, "\(name) looks blank")
        }
    }

    @Test func writesThePageAndTheFiguresAtomically() throws {
        let folder = Fixtures.folder()
        let written = try Self.report().write(htmlTo: folder + "/r.html", pngDirectory: folder + "/figures/new")
        #expect(written.count == 7)
        for path in written { #expect(FileManager.default.fileExists(atPath: path)) }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".tmp") }
        #expect(leftovers.isEmpty)
    }
}

/// Counts the elements an XML parser sees, and keeps every `src`.
final class ElementCollector: NSObject, XMLParserDelegate {
    private var counts: [String: Int] = [:]
    var sources: [String] = []

    func count(_ name: String) -> Int { counts[name, default: 0] }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        counts[name, default: 0] += 1
        if let src = attributes["src"] { sources.append(src) }
    }
}

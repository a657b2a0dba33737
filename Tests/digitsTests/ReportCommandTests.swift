import DigitsKit
import Foundation
import Testing

@Suite("digits report")
struct ReportCommandTests {
    /// A fixture data folder and a model barely trained on it (a tiny learning rate), so that
    /// it still makes mistakes for the gallery.
    static func model() throws -> (data: String, model: String, folder: String) {
        let data = Fixture.mnist(train: 200, test: 120)
        let folder = Fixture.folder()
        let model = folder + "/m.safetensors"
        let result = try Binary.run(["train", "--data", data, "--output", model, "--quiet", "--hidden", "16", "--epochs", "2",
                                     "--lr", "0.001", "--validation", "50", "--augment", "none"])
        #expect(result.status == 0, "\(result.stderr)")
        return (data, model, folder)
    }

    @Test func writesTheHTMLAndEachFigureAsPNG() throws {
        let (data, model, folder) = try Self.model()
        let result = try Binary.run(["report", "--data", data, "--model", model, "--output", folder + "/report.html",
                                     "--png", folder + "/figures"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("report written to \(folder)/report.html ("))
        let html = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
        for id in ["model", "curves", "confusion", "reliability", "mistakes", "hidden-units", "back-query"] {
            #expect(html.contains("<section id=\"\(id)\">"), "no section \(id)")
        }
        #expect(html.components(separatedBy: "<svg").count - 1 == 3)
        #expect(html.contains(model))
        for name in ["learning-curves", "confusion", "reliability", "mistakes", "hidden-units", "back-query"] {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(folder)/figures/\(name).png")))
            let image = try PNGImage.decode(bytes, path: name)
            #expect(image.width > 100 && image.height > 50, "\(name)")
            #expect(result.stdout.contains("figure \(folder)/figures/\(name).png"))
        }
    }

    @Test func trainWritesTheReportWithTheTrainingTime() throws {
        let data = Fixture.mnist(train: 200, test: 60)
        let folder = Fixture.folder()
        let result = try Binary.run(["train", "--data", data, "--output", folder + "/m.safetensors", "--report", folder + "/r.html"]
                                    + TrainCommandTests.quick)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("report written to \(folder)/r.html"))
        let html = try String(contentsOfFile: folder + "/r.html", encoding: .utf8)
        #expect(html.contains("<th>training time</th><td>") && !html.contains("not recorded: model files hold no times"))
        // --json keeps standard output one JSON object.
        let json = try Binary.run(["train", "--data", data, "--output", folder + "/m2.safetensors", "--report", folder + "/r2.html", "--json"]
                                  + TrainCommandTests.quick)
        #expect(json.status == 0)
        #expect(json.stdout.split(separator: "\n").count == 1)
        #expect(FileManager.default.fileExists(atPath: folder + "/r2.html"))
    }

    @Test(arguments: [
        (["--mistakes=-1"], "--mistakes must be 0…10000"),
        (["--output", ""], "--output needs a file path"),
        (["--png", ""], "--png needs a folder path"),
        (["--model", "/nonexistent/m.safetensors"], "/nonexistent/m.safetensors"),
    ])
    func badOptionsGiveOneLineAndNoFile(arguments: [String], message: String) throws {
        let (data, model, folder) = try Self.model()
        let args = ["report", "--data", data, "--model", model, "--output", folder + "/x.html"] + arguments
        let result = try Binary.run(args)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/x.html"))
    }

    @Test func anUnwritablePlaceFailsBeforeAnyWork() throws {
        let (data, model, folder) = try Self.model()
        FileManager.default.createFile(atPath: folder + "/file", contents: Data("x".utf8))
        let result = try Binary.run(["report", "--data", data, "--model", model, "--output", folder + "/file/r.html"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Error: \(folder)/file/r.html: cannot write:"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        let train = try Binary.run(["train", "--data", data, "--png", folder + "/p"] + TrainCommandTests.quick)
        #expect(train.status != 0 && train.stderr.contains("--png goes with --report"))
    }

    /// The report as a browser sees it: Chromium renders it to a screenshot that is not blank,
    /// and the DOM it builds holds the figures and every image.
    @Test(.enabled(if: Chromium.path != nil, Chromium.skipReason))
    func chromiumRendersTheReport() throws {
        let (data, model, folder) = try Self.model()
        let report = folder + "/report.html"
        #expect(try Binary.run(["report", "--data", data, "--model", model, "--output", report]).status == 0)
        let url = URL(fileURLWithPath: report).absoluteString
        let shot = folder + "/report.png"
        let render = try Chromium.run(["--screenshot=" + shot, "--window-size=1100,2400"], url: url)
        #expect(render.status == 0)
        let image = try PNGImage.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: shot))), path: shot)
        #expect(image.width == 1100 && image.height == 2400)
        let inked = image.pixels.filter { $0 < 200 }.count
        #expect(Double(inked) / Double(image.pixels.count) > 0.02, "the screenshot is nearly blank")
        #expect(Set(image.pixels).count > 32, "the screenshot has too few shades to hold the figures")

        let dom = try Chromium.run(["--dump-dom"], url: url).stdout
        #expect(dom.contains("<svg id=\"curves-figure\"") && dom.contains("<svg id=\"confusion-figure\""))
        #expect(dom.components(separatedBy: "<polyline").count - 1 >= 2)
        let mistakes = dom.components(separatedBy: "alt=\"test image ").count - 1
        #expect(mistakes >= 40)
        #expect(dom.components(separatedBy: "alt=\"hidden unit ").count - 1 == 16)
        #expect(dom.components(separatedBy: "alt=\"back-query of digit ").count - 1 == 10)
        #expect(!dom.contains("<script"))
    }
}

import Foundation
import Testing
@testable import DigitsKit

struct SVGTests {
    @Test func marksBecomeSVGElementsWithTextEscaped() {
        var figure = Figure(title: "a <title> & \"more\"", width: 100, height: 50)
        figure.rect(1, 2, 3.5, 4, fill: RGB(255, 0, 16))
        figure.line([(0, 0), (10, 5.25)], color: .black, width: 2, dashed: true)
        figure.text("x < y & z", 50, 25, anchor: .middle)
        figure.image(RGBImage(width: 2, height: 2), 0, 0, 20, 20)
        let svg = figure.svg(id: "f")
        #expect(svg.hasPrefix("<svg id=\"f\" class=\"figure\" width=\"100\" height=\"50\" viewBox=\"0 0 100 50\""))
        #expect(svg.contains("<title id=\"f-title\">a &lt;title&gt; &amp; &quot;more&quot;</title>"))
        #expect(svg.contains("<rect x=\"1\" y=\"2\" width=\"3.50\" height=\"4\" fill=\"#ff0010\"/>"))
        #expect(svg.contains("points=\"0,0 10,5.25\"") && svg.contains("stroke-dasharray"))
        #expect(svg.contains(">x &lt; y &amp; z</text>") && svg.contains("text-anchor=\"middle\""))
        #expect(svg.contains("href=\"data:image/png;base64,") && svg.contains("image-rendering:pixelated"))
        #expect(!svg.contains("http"))
        #expect(svg.hasSuffix("</svg>"))
    }

    @Test func dataURIsHoldThePNG() throws {
        var image = RGBImage(width: 3, height: 1)
        image[1, 0] = RGB(10, 20, 30)
        let uri = image.pngDataURI
        let bytes = [UInt8](Data(base64Encoded: String(uri.dropFirst("data:image/png;base64,".count)))!)
        #expect(PNGImage.isPNG(bytes))
        let gray = try PNGImage.decode(bytes, path: "uri")
        #expect(gray.width == 3 && gray.pixels[0] == 255 && gray.pixels[1] < 30)
    }

    @Test func colours() {
        #expect(RGB(255, 0, 16).hex == "#ff0010")
        #expect(ColorScale.diverging(0) == .white)
        #expect(ColorScale.diverging(-1) == ColorScale.negative && ColorScale.diverging(1) == ColorScale.positive)
        #expect(ColorScale.diverging(.nan) == .white && ColorScale.diverging(7) == ColorScale.positive)
        #expect(abs(RGB.white.luminance - 1) < 1e-9 && RGB.black.luminance == 0)
    }
}

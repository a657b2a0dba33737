import Testing
@testable import DigitsKit

struct RasterTests {
    @Test func theFontHasEveryCharacterTheFiguresUse() {
        for (c, glyph) in Font.glyphs {
            #expect(glyph.count == Font.rows, "\(c)")
            #expect(glyph.allSatisfy { $0 < 1 << Font.columns }, "\(c)")
        }
        let used = "0123456789.%()-: abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
        for c in used { #expect(Font.glyphs[c] != nil, "missing \(c)") }
        #expect(Font.glyphs[" "] == [UInt8](repeating: 0, count: 8))
        // "1": a vertical stroke in the middle column.
        #expect(Font.glyph("1")[3] == 0b00100)
    }

    @Test func textRectsLinesAndImagesLandWhereTheSVGPutsThem() {
        var figure = Figure(title: "t", width: 60, height: 40)
        figure.rect(10, 10, 5, 5, fill: RGB(255, 0, 0))
        figure.line([(0, 30), (59, 30)], color: .black, width: 2)
        figure.text("1", 40, 20, size: 10, color: .black)
        var tile = RGBImage(width: 2, height: 2)
        tile[1, 1] = RGB(0, 0, 255)
        figure.image(tile, 50, 0, 8, 8)
        let canvas = figure.raster()
        #expect(canvas[12, 12] == RGB(255, 0, 0) && canvas[16, 12] == .white)
        #expect(canvas[30, 30] == .black && canvas[30, 29] == .black && canvas[30, 26] == .white)
        // The glyph of "1" at scale 1: its stroke is column 2, rows 0…6 above the baseline 20.
        #expect(canvas[42, 15] == .black && canvas[40, 15] == .white)
        // The image scaled ×4 by nearest neighbour.
        #expect(canvas[55, 5] == RGB(0, 0, 255) && canvas[53, 5] == .white)
    }

    @Test func anchorsAndScale() {
        var figure = Figure(title: "t", width: 100, height: 30)
        figure.text("88", 50, 20, size: 14, anchor: .end, color: .black)
        let canvas = figure.raster()
        // Twice the size: two glyphs of 10 px plus a 2 px gap end at x = 50.
        let inked = (0..<100).filter { x in (0..<30).contains { canvas[x, $0] == .black } }
        #expect(inked.first == 28 && inked.last == 49)
    }
}

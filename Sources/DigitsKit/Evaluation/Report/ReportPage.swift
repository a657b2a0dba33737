import Plot

/// The report as one self-contained HTML page: Plot builds the document (so every text and
/// attribute is escaped by construction), the figures are inline SVG from `Figure.svg`, the
/// images PNG data URIs, the style inline. Nothing is fetched: it opens offline and can be mailed.
extension TrainingReport {
    public func html() -> String {
        let page = HTML(
            .lang(.english),
            .head(
                .encoding(.utf8),
                .viewport(.accordingToDevice),
                .element(named: "title", text: "digits: training report"),
                .style(Self.css)
            ),
            .body(
                .header(
                    .h1("digits: training report"),
                    .p(.class("summary"), .text(summary))
                ),
                .nav(.ul(
                    .li(.a(.href("#model"), "Model")),
                    .li(.a(.href("#curves"), "Learning curves")),
                    .li(.a(.href("#confusion"), "Confusion")),
                    .li(.a(.href("#reliability"), "Reliability")),
                    .li(.a(.href("#mistakes"), "Mistakes")),
                    .li(.a(.href("#hidden-units"), "Hidden units")),
                    .li(.a(.href("#back-query"), "Back-query"))
                )),
                .main(
                    modelSection,
                    .section(.id("curves"),
                             .h2("Learning curves"),
                             .p("Mean training loss per epoch; accuracy per epoch on the training examples (counted while training, on the images as distorted that epoch, each before its own step), on the held-out validation split, and on the test set."),
                             .raw(Charts.learningCurves(model.history).svg(id: "curves-figure"))),
                    .section(.id("confusion"),
                             .h2("Confusion matrix"),
                             .p(.text("On the \(evaluation.total) test images: rows are the true digit, columns the prediction. The diagonal (green, outlined) counts the images read right; orange cells count mistakes. Recall is the share of a row read right, precision the share of a column that was right.")),
                             .raw(Charts.confusion(evaluation).svg(id: "confusion-figure"))),
                    .section(.id("reliability"),
                             .h2("Reliability"),
                             .p(.text("How far the probability it gives can be trusted: the test images' answers grouped into 15 bins by their probability (softmax of the outputs over the temperature fitted on the validation split), each bar the accuracy in its bin. A calibrated model's bars reach the dashed diagonal; the expected calibration error is their weighted distance from it.")),
                             .raw(Charts.reliability(reliability.bins, ece: reliability.ece, calibrated: model.calibration.fitted)
                                .svg(id: "reliability-figure"))),
                    mistakesSection,
                    hiddenUnitsSection,
                    backQuerySection
                ),
                .footer(.p(.text("Made by digits report from \(modelSource) and \(testSource).")))
            )
        )
        return page.render()
    }

    /// One line under the title.
    var summary: String {
        "\(model.network.layerSizes) network, \(percent(evaluation.accuracy)) on \(counted(evaluation.total, "test image")) (\(counted(evaluation.total - evaluation.correct, "mistake")))."
    }

    /// The metadata rows: what the model is and how it was made.
    var metadataRows: [(String, String)] {
        let m = model.metadata
        let labels: [(String, String)] = [
            ("architecture", "architecture"), ("hidden_activation", "hidden activation"), ("output_activation", "output activation"),
            ("rule", "learning rule"), ("loss", "loss"), ("learning_rate", "learning rate"), ("schedule", "schedule"),
            ("warmup", "warm-up epochs"), ("momentum", "momentum"), ("nesterov", "Nesterov"), ("batch_size", "batch size"),
            ("l2", "L2 decay"), ("augment", "augmentation"), ("input_scaling", "input scaling"), ("target_encoding", "targets"),
            ("validation", "validation images held out"), ("seed", "seed"), ("epochs", "epochs"),
        ]
        var rows = labels.compactMap { key, label in m[key].map { (label, $0) } }
        if let stored = m["test_accuracy"].flatMap(Double.init) { rows.append(("test accuracy at training", percent(stored))) }
        rows.append(("test accuracy now", "\(percent(evaluation.accuracy)) (\(evaluation.correct)/\(evaluation.total))"))
        rows.append(("training time", trainingSeconds.map { "\(fixed($0, 1)) s" }
                        ?? "not recorded: model files hold no times, so that the same seed gives the same bytes (digits train --report records it)"))
        let shown = Set(labels.map(\.0) + ["test_accuracy", "history"])
        for key in m.keys.sorted() where !shown.contains(key) { rows.append((key, m[key]!)) }
        rows.append(("model", modelSource))
        rows.append(("test set", testSource))
        return rows
    }

    private var modelSection: Node<HTML.BodyContext> {
        .section(.id("model"),
                 .h2("Model"),
                 .table(.class("metadata"),
                        .forEach(metadataRows) { label, value in .tr(.th(.text(label)), .td(.text(value))) }))
    }

    private var mistakesSection: Node<HTML.BodyContext> {
        .section(.id("mistakes"),
                 .h2("The most confident mistakes"),
                 .p(.text(mistakes.isEmpty ? "The network reads every test image right."
                          : "The \(mistakes.count) test images the network gets wrong with the highest probability (calibrated: softmax(z/T), T fitted on the validation split when the model was), most confident first.")),
                 .div(.class("gallery"),
                      .forEach(mistakes) { m in
                          .element(named: "figure", nodes: [
                              .img(.class("px"), .src(m.image.pngDataURI), .width(84), .height(84),
                                   .alt("test image \(m.index): a \(m.label) read as \(m.prediction.digit)")),
                              .element(named: "figcaption", nodes: [
                                  .strong(.text("\(m.label) → \(m.prediction.digit)")),
                                  .text(" \(percent(Double(m.prediction.probability)))"),
                                  .br(),
                                  .small(.text("test #\(m.index)")),
                              ]),
                          ])
                      }))
    }

    private var hiddenUnitsSection: Node<HTML.BodyContext> {
        let tiles = hiddenUnitTiles()
        return .section(.id("hidden-units"),
                        .h2("What the hidden units look for"),
                        .p(.text("The incoming weights of each of the \(tiles.count) units of the first hidden layer (a column of \(model.network.layers.count == 2 ? "W_ih" : "W_1")) as a 28×28 image: red pixels push the unit on, blue push it off, white do nothing; each tile is scaled to its own largest weight." + (model.network.layers.count == 2 ? " Hover a tile for the digit it feeds most." : ""))),
                        .div(.class("tiles"),
                             .forEach(Array(tiles.enumerated())) { j, tile in
                                 .img(.class("px"), .src(tile.pngDataURI), .width(56), .height(56),
                                      .alt("hidden unit \(j)"), .title("hidden unit \(j)" + (strongestOutput(ofHiddenUnit: j).map { ": feeds digit \($0) most" } ?? "")))
                             }))
    }

    private var backQuerySection: Node<HTML.BodyContext> {
        let body: Node<HTML.BodyContext>
        switch backQueryImages() {
        case .success(let images):
            body = .div(.class("gallery"),
                        .forEach(Array(images.enumerated())) { d, image in
                            .element(named: "figure", nodes: [
                                .img(.class("px"), .src(image.pngDataURI), .width(84), .height(84), .alt("back-query of digit \(d)")),
                                .element(named: "figcaption", nodes: [.text("digit \(d)")]),
                            ])
                        })
        case .failure(let error):
            body = .p(.text("Not drawn: \(error)."))
        }
        return .section(.id("back-query"),
                        .h2("What the network imagines"),
                        .p("Each digit's output set to 0.99 and the others to 0.01, then run backwards, as the book behind doc 001 does: the inverse of each layer's activation undoes it (the logit for a sigmoid), the transposed weights carry the signal back a layer, and each layer is rescaled into the activation's range."),
                        body)
    }

    static let css = """
        :root { color-scheme: light; }
        body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; background: #fff; margin: 0 auto; max-width: 980px; padding: 0 16px 48px; }
        header h1 { margin: 24px 0 4px; font-size: 26px; }
        .summary { margin: 0 0 8px; color: #444; }
        nav ul { list-style: none; padding: 0; margin: 0 0 8px; display: flex; flex-wrap: wrap; gap: 4px 16px; }
        nav a { color: #0b5cad; }
        h2 { margin: 32px 0 6px; font-size: 20px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        svg.figure { max-width: 100%; height: auto; display: block; }
        table.metadata { border-collapse: collapse; }
        table.metadata th { text-align: left; font-weight: 600; padding: 2px 16px 2px 0; vertical-align: top; }
        table.metadata td { padding: 2px 0; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
        img.px { image-rendering: pixelated; image-rendering: crisp-edges; border: 1px solid #ddd; }
        .gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(96px, 1fr)); gap: 10px; }
        .gallery figure { margin: 0; text-align: center; }
        .gallery figcaption { font-size: 13px; }
        .tiles { display: grid; grid-template-columns: repeat(auto-fill, 58px); gap: 4px; }
        footer { margin-top: 40px; color: #666; font-size: 13px; }
        """
}

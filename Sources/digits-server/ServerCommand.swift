import Foundation
import ArgumentParser
import DigitsKit
import DigitsServer

/// `digits-server`: the drawing page and the prediction API, over HTTP.
@main
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digits-server",
        abstract: "Serve a page to draw a digit on, and an HTTP API that reads it (the same model and preprocessing as `digits query`).",
        discussion: """
            POST /api/predict takes image/png, image/jpeg, text/csv (784 or 785 values) or application/json \
            ({"pixels": [784 values 0–255]}) and answers {prediction, probability, verdict, unsure, not_a_digit, top, probabilities, scores, input}. \
            GET /api/model answers the model's metadata, GET /healthz 200. Ctrl-C or SIGTERM stops it.
            """
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(parsing: .unconditional, help: "Port to listen on (0: any free port).")
    var port = 8080

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Seconds a connection may stay silent, or without a whole request head, before it is closed.",
        valueName: "seconds"))
    var idleTimeout = ServerSettings.defaultIdleTimeout

    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds a request's body may take to arrive after its head.", valueName: "seconds"))
    var bodyTimeout = ServerSettings.defaultBodyTimeout

    @Option(name: .customLong("model"), help: ArgumentHelp(
        "Model file (default: the reader model shipped with digits, trained for people's digits).",
        valueName: "path"))
    var modelPath: String?

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0…65535, got \(port)") }
        guard idleTimeout > 0, idleTimeout <= 3600 else {
            throw ValidationError("--idle-timeout must be over 0 and at most 3600 seconds, got \(idleTimeout)")
        }
        guard bodyTimeout > 0, bodyTimeout <= 3600 else {
            throw ValidationError("--body-timeout must be over 0 and at most 3600 seconds, got \(bodyTimeout)")
        }
        if host.isEmpty { throw ValidationError("--host needs an address") }
        if let modelPath, modelPath.isEmpty { throw ValidationError("--model needs a file path") }
    }

    func run() async throws {
        let (model, choice) = try ModelLocator.load(modelPath, for: .reading)
        let page = try WebPage.shipped()
        let app = buildApplication(ServerSettings(host: host, port: port, idleTimeout: idleTimeout, bodyTimeout: bodyTimeout), model: model, modelSource: choice.source, page: page)
        do {
            try await app.runService()
        } catch {
            // The usual failures of a start, bind's, in words rather than NIO's errno dump.
            guard let message = startupFailure(error, host: host, port: port) else { throw error }
            FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
            throw ExitCode(1)
        }
    }
}

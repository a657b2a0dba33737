import Foundation
import Testing
@testable import digits

@Suite("digits --version")
struct VersionTests {
    static func version() throws -> [String] {
        let result = try Binary.run(["--version"])
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    @Test func saysVersionCommitBuildAndCPU() throws {
        let lines = try Self.version()
        #expect(lines.count == 4, "\(lines)")
        #expect(lines.first == "digits \(BuildInfo.version)")
        #expect(lines.first?.wholeMatch(of: /digits \d+\.\d+\.\d+/) != nil)
        #expect(lines.dropFirst().first?.wholeMatch(of: /commit (unknown \(built without make\)|[0-9a-f]{7,40}(-dirty)? \(recorded by make\))/) != nil,
                "\(lines)")
        #if DEBUG
        #expect(lines.dropFirst(2).first?.hasPrefix("build: debug, ") == true)
        #else
        #expect(lines.dropFirst(2).first?.hasPrefix("build: release, ") == true)
        #endif
    }

    /// The CPU line agrees with what the kernel says the CPU has (/proc/cpuinfo: another source
    /// than the cpuid the binary asks), and a debug build never claims AVX2 kernels.
    @Test(.enabled(if: Self.cpuFlags != nil, "no /proc/cpuinfo flags of an x86 CPU here"))
    func theCPULineAgreesWithProcCPUInfo() throws {
        let cpu = try Self.version().last ?? ""
        let has = Self.cpuFlags!.contains("avx2") && Self.cpuFlags!.contains("fma")
        #expect(cpu.hasPrefix("cpu: kernels compiled for "))
        let claimsAVX2FMA = cpu.hasSuffix("this CPU has both") || cpu.contains("this CPU has AVX2 + FMA,")
        #expect(claimsAVX2FMA == has, "\(cpu)")
        #if DEBUG
        #expect(cpu.hasPrefix("cpu: kernels compiled for baseline x86-64; "), "\(cpu)")
        #endif
    }

    /// The flags of the first x86 CPU in /proc/cpuinfo, or nil.
    static let cpuFlags: Set<Substring>? = {
        #if arch(x86_64)
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        return Set(line.split(separator: " "))
        #else
        return nil
        #endif
    }()
}

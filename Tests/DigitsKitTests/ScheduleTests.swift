import Testing
@testable import DigitsKit

@Suite("Schedule")
struct ScheduleTests {
    @Test func ratesAtStartMiddleAndEnd() {
        #expect(Schedule.constant.rate(0.4, progress: 0.7) == 0.4)
        #expect(Schedule.cosine.rate(0.4, progress: 0) == 0.4)
        #expect(abs(Schedule.cosine.rate(0.4, progress: 0.5) - 0.2) < 1e-7)
        #expect(abs(Schedule.cosine.rate(0.4, progress: 1)) < 1e-7)
        #expect(abs(Schedule.linear.rate(0.4, progress: 0.25) - 0.3) < 1e-7)
        #expect(Schedule.step.rate(1, progress: 0.49) == 1)
        #expect(Schedule.step.rate(1, progress: 0.5) == 0.1)
        #expect(Schedule.step.rate(1, progress: 0.8) == 0.01)
    }

    @Test func warmupRampsThenTheScheduleRunsOverTheRest() {
        let rate = LearningRate(base: 0.8, schedule: .cosine, warmup: 2, epochs: 10)
        #expect(rate.rate(atEpoch: 0) == 0)
        #expect(abs(rate.rate(atEpoch: 1) - 0.4) < 1e-6)
        #expect(abs(rate.rate(atEpoch: 2) - 0.8) < 1e-6)
        #expect(abs(rate.rate(atEpoch: 6) - 0.4) < 1e-6)  // half-way through the 8 cosine epochs
        #expect(abs(rate.rate(atEpoch: 10)) < 1e-6)
        #expect(rate.span(ofEpoch: 1) == (start: 0, end: rate.rate(atEpoch: 1)))
    }

    @Test func stepChangesOnlyAtEpochStarts() {
        let rate = LearningRate(base: 1, schedule: .step, epochs: 4)
        #expect(rate.span(ofEpoch: 1) == (start: 1, end: 1))
        #expect(rate.span(ofEpoch: 2) == (start: 1, end: 1))
        #expect(rate.span(ofEpoch: 3) == (start: 0.1, end: 0.1))
        #expect(rate.span(ofEpoch: 4) == (start: 0.01, end: 0.01))
    }
}

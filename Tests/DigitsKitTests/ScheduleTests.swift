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
    }
}

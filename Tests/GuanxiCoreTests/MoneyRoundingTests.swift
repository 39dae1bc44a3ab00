import Testing
import GuanxiCore

@Suite("Money rounding at the bounds")
struct MoneyRoundingTests {
    @Test func hundredthsRoundHalfAwayFromZeroForEveryInt64() {
        #expect(Money.hundredths(149) == 1 && Money.hundredths(150) == 2 && Money.hundredths(-150) == -2 && Money.hundredths(-149) == -1)
        #expect(Money.hundredths(0) == 0 && Money.hundredths(49) == 0 && Money.hundredths(-49) == 0)
        // a weighted pipeline total at Int64's bound trapped the deal board (schemathesis found it)
        #expect(Money.hundredths(.max) == 92_233_720_368_547_758)                      // …807: the 7 rounds down
        #expect(Money.hundredths(9_223_372_036_854_775_750) == 92_233_720_368_547_758) // …750: half rounds up, no overflow
        #expect(Money.hundredths(.min) == -92_233_720_368_547_758)
        #expect(Money.hundredths(-9_223_372_036_854_775_750) == -92_233_720_368_547_758)
        #expect(Money(minor: .max, currency: "CNY").weighted(percent: 100).minor == .max / 100 * 100)
        #expect(Money(minor: .max / 100, currency: "CNY").weighted(percent: 100).minor == .max / 100)
    }
}

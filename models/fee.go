package models

// The information-processing fee of 《政府信息公开信息处理费管理办法》
// (国办函〔2020〕109号, rules.md §2). 条例第四十二条 lets an agency charge when
// the number or frequency of applications clearly exceeds a reasonable
// range; the 办法 fixes how. The agency charges either per application
// (按件计收, 第四条) or per volume (按量计收, 第五条), never both for one
// application (第三条); both are progressive on the excess (超额累进).
// Money is in 分 (1/100 元) as int64 throughout; the results are exact,
// and an input so large that the fee would not fit in an int64 gives
// math.MaxInt64 rather than wrapping round.

import (
	"math"
	"strconv"
)

// Fee rates in 分.
const (
	feeItemBase   = 100_00 // 按件: 11th–30th application, 100元 each
	feeItemStep   = 100_00 // 按件: each further band of 10 adds 100元 per application
	feePageTier1  = 10_00  // 按量: pages 31–100, 10元 a page
	feePageTier2  = 20_00  // 按量: pages 101–200, 20元 a page
	feePageTier3  = 40_00  // 按量: pages from 201, 40元 a page
	freeItems     = 10     // 按件: 10 or fewer applications a month are free
	firstBandEnd  = 30     // 按件: end of the 100元 band
	bandSize      = 10     // 按件: width of the bands from the 31st application
	freePages     = 30     // 按量: 30 pages or fewer are free
	pageTier1End  = 100    // 按量: end of the 10元 tier
	pageTier2End  = 200    // 按量: end of the 20元 tier
	pageTier1Fen  = (pageTier1End - freePages) * feePageTier1
	pageTier12Fen = pageTier1Fen + (pageTier2End-pageTier1End)*feePageTier2
)

// FeePerItemFen returns the 按件计收 fee, in 分, for the n-th application that
// the same applicant files in one calendar month (办法第四条): the 1st–10th
// are free, the 11th–30th cost 100元 each, and from the 31st each band of 10
// costs 100元 more per application than the band before (31st–40th 200元,
// 41st–50th 300元, …; rules.md §2.2 reads the third tier this way). n below
// 1 is free.
func FeePerItemFen(n int) int64 {
	switch {
	case n <= freeItems:
		return 0
	case n <= firstBandEnd:
		return feeItemBase
	}
	band := int64(n-firstBandEnd-1)/bandSize + 1 // 1 for the 31st–40th
	return satAdd(feeItemBase, satMul(band, feeItemStep))
}

// FeePerItemTotalFen returns the 按件计收 fees, in 分, for count applications
// by the same applicant in one calendar month: the sum of FeePerItemFen(1)
// … FeePerItemFen(count). 45 applications cost 20×100 + 10×200 + 5×300 =
// 5500元 (rules.md §2.2). count below 1 costs nothing.
func FeePerItemTotalFen(count int) int64 {
	if count <= freeItems {
		return 0
	}
	c := int64(count)
	total := int64(min(c, firstBandEnd)-freeItems) * feeItemBase
	if c <= firstBandEnd {
		return total
	}
	// Beyond the 30th: full bands k = 1 … full cost 10 × (base + k×step)
	// each; the remaining rem applications are in band full+1.
	over := c - firstBandEnd
	full, rem := over/bandSize, over%bandSize
	// Σ_{k=1..full} 10×(base + k×step) = 10×full×base + 10×step×full×(full+1)/2
	fullBands := satAdd(
		satMul(satMul(bandSize, full), feeItemBase),
		satMul(satMul(bandSize*feeItemStep/2, full), full+1),
	)
	partial := satMul(rem, satAdd(feeItemBase, satMul(full+1, feeItemStep)))
	return satAdd(total, satAdd(fullBands, partial))
}

// FeePerPageFen returns the 按量计收 fee, in 分, for pages pages (办法第五条):
// 30 pages or fewer are free; pages 31–100 cost 10元 each, pages 101–200
// 20元 each and every page from the 201st 40元. 250 pages cost 70×10 +
// 100×20 + 50×40 = 4700元 (rules.md §2.3). Whether pages are counted per
// application or over a period, and how electronic data converts to pages,
// is in the part of 第五条 not verified (rules.md §2.3); the caller decides.
// pages below 1 cost nothing.
func FeePerPageFen(pages int) int64 {
	p := int64(pages)
	switch {
	case p <= freePages:
		return 0
	case p <= pageTier1End:
		return (p - freePages) * feePageTier1
	case p <= pageTier2End:
		return pageTier1Fen + (p-pageTier1End)*feePageTier2
	}
	return satAdd(pageTier12Fen, satMul(p-pageTier2End, feePageTier3))
}

// FormatYuan formats an amount in 分 as 元 with two decimals and no
// thousands separator, the way fee notices write sums: 550000 → "5500.00元",
// 5 → "0.05元", -150 → "-1.50元".
func FormatYuan(fen int64) string {
	sign := ""
	u := uint64(fen)
	if fen < 0 {
		sign = "-"
		u = -u // two's complement: correct for math.MinInt64 too
	}
	cents := u % 100
	b := make([]byte, 0, 24)
	b = append(b, sign...)
	b = strconv.AppendUint(b, u/100, 10)
	b = append(b, '.', byte('0'+cents/10), byte('0'+cents%10))
	return string(b) + "元"
}

// satAdd returns a+b for non-negative a and b, or math.MaxInt64 on overflow.
func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// satMul returns a×b for non-negative a and b, or math.MaxInt64 on overflow.
func satMul(a, b int64) int64 {
	if a != 0 && b > math.MaxInt64/a {
		return math.MaxInt64
	}
	return a * b
}

package models

import (
	"math"
	"testing"
)

func TestFeePerItemFen(t *testing.T) {
	tests := []struct {
		name string
		n    int
		want int64
	}{
		{"negative", -3, 0},
		{"zero", 0, 0},
		{"first", 1, 0},
		{"10th free", 10, 0},
		{"11th 100元", 11, 100_00},
		{"30th 100元", 30, 100_00},
		{"31st 200元", 31, 200_00},
		{"40th 200元", 40, 200_00},
		{"41st 300元", 41, 300_00},
		{"45th 300元", 45, 300_00},
		{"50th 300元", 50, 300_00},
		{"51st 400元", 51, 400_00},
		{"100th 800元", 100, 800_00},
		{"huge saturates", math.MaxInt, math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FeePerItemFen(tt.n); got != tt.want {
				t.Errorf("FeePerItemFen(%d) = %d, want %d", tt.n, got, tt.want)
			}
		})
	}
}

func TestFeePerItemTotalFen(t *testing.T) {
	tests := []struct {
		name  string
		count int
		want  int64
	}{
		{"negative", -1, 0},
		{"zero", 0, 0},
		{"10 free", 10, 0},
		{"11", 11, 100_00},
		{"30", 30, 2000_00},
		{"31", 31, 2200_00},
		{"40", 40, 4000_00},
		{"45 (rules.md §2.2)", 45, 5500_00},
		{"50", 50, 7000_00},
		{"51", 51, 7400_00},
		{"huge saturates", math.MaxInt, math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FeePerItemTotalFen(tt.count); got != tt.want {
				t.Errorf("FeePerItemTotalFen(%d) = %d, want %d", tt.count, got, tt.want)
			}
		})
	}
}

// TestFeePerItemTotalIsSum checks the closed form against the running sum.
func TestFeePerItemTotalIsSum(t *testing.T) {
	var sum int64
	for n := 1; n <= 1000; n++ {
		sum += FeePerItemFen(n)
		if got := FeePerItemTotalFen(n); got != sum {
			t.Fatalf("FeePerItemTotalFen(%d) = %d, want %d (the sum of FeePerItemFen)", n, got, sum)
		}
	}
}

func TestFeePerPageFen(t *testing.T) {
	tests := []struct {
		name  string
		pages int
		want  int64
	}{
		{"negative", -5, 0},
		{"zero", 0, 0},
		{"30 free", 30, 0},
		{"31", 31, 10_00},
		{"100", 100, 700_00},
		{"101", 101, 720_00},
		{"200", 200, 2700_00},
		{"201", 201, 2740_00},
		{"250 (rules.md §2.3)", 250, 4700_00},
		{"huge saturates", math.MaxInt, math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FeePerPageFen(tt.pages); got != tt.want {
				t.Errorf("FeePerPageFen(%d) = %d, want %d", tt.pages, got, tt.want)
			}
		})
	}
}

// TestFeeMonotonic checks that no fee ever drops as the count grows.
func TestFeeMonotonic(t *testing.T) {
	for n := 1; n <= 500; n++ {
		if FeePerItemFen(n) < FeePerItemFen(n-1) {
			t.Errorf("FeePerItemFen(%d) < FeePerItemFen(%d)", n, n-1)
		}
		if FeePerPageFen(n) < FeePerPageFen(n-1) {
			t.Errorf("FeePerPageFen(%d) < FeePerPageFen(%d)", n, n-1)
		}
	}
}

func TestFormatYuan(t *testing.T) {
	tests := []struct {
		name string
		fen  int64
		want string
	}{
		{"zero", 0, "0.00元"},
		{"five fen", 5, "0.05元"},
		{"ninety fen", 90, "0.90元"},
		{"100元", 100_00, "100.00元"},
		{"5500元", 5500_00, "5500.00元"},
		{"with fen", 4700_35, "4700.35元"},
		{"negative", -150, "-1.50元"},
		{"max", math.MaxInt64, "92233720368547758.07元"},
		{"min", math.MinInt64, "-92233720368547758.08元"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatYuan(tt.fen); got != tt.want {
				t.Errorf("FormatYuan(%d) = %q, want %q", tt.fen, got, tt.want)
			}
		})
	}
}

package models

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMaskIDNumber(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"resident ID", "211202199003074477", "2112**********4477"},
		{"resident ID with X", "11010519491231002X", "1101**********002X"},
		{"spaces trimmed", " 211202199003074477 ", "2112**********4477"},
		{"16 characters", "1234567890123456", "1234********3456"},
		{"HK permit", "H12345678", "H1*****78"},
		{"Taiwan permit", "12345678", "12****78"},
		{"five", "A1234", "A***4"},
		{"four", "1234", "1**4"},
		{"three", "123", "***"},
		{"one", "1", "*"},
		{"empty", "", ""},
		{"Chinese other document", "军字第12345号", "军字*****5号"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskIDNumber(tt.in); got != tt.want {
				t.Errorf("MaskIDNumber(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestMaskIDNumberHalf checks that at most half of any value is shown.
func TestMaskIDNumberHalf(t *testing.T) {
	for n := 0; n <= 40; n++ {
		in := strings.Repeat("号", n)
		got := MaskIDNumber(in)
		if utf8.RuneCountInString(got) != n {
			t.Errorf("n=%d: got %d runes, want %d", n, utf8.RuneCountInString(got), n)
		}
		if shown := strings.Count(got, "号"); shown*2 > n {
			t.Errorf("n=%d: got %d characters shown, want at most %d", n, shown, n/2)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"mobile", "13812341234", "138****1234"},
		{"mobile with spaces", "138 1234 1234", "138****1234"},
		{"mobile +86", "+86 138-1234-1234", "138****1234"},
		{"landline 8 digits", "024-23456789", "024-****6789"},
		{"landline 7 digits", "0410-7234567", "0410-***4567"},
		{"landline with extension", "024-23456789-123", "024-****6789-***"},
		{"landline unnormalised", "(024)23456789", "024-****6789"},
		{"unrecognised", "12345", "1***5"},
		{"empty", " ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskPhone(tt.in); got != tt.want {
				t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMaskEmail(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "zhangsan@example.com", "z*******@example.com"},
		{"two characters", "zs@example.com", "z*@example.com"},
		{"one character", "z@example.com", "*@example.com"},
		{"digits", "123456789@qq.com", "1********@qq.com"},
		{"Chinese local part", "张三丰@例子.中国", "张**@例子.中国"},
		{"no at", "zhangsan", "zh****an"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskEmail(tt.in); got != tt.want {
				t.Errorf("MaskEmail(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMaskName(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"two characters", "张三", "张*"},
		{"three characters", "张三丰", "张**"},
		{"compound surname", "欧阳娜娜", "欧***"},
		{"one character", "张", "*"},
		{"ethnic name with dot", "买买提·艾力", "买*****"},
		{"latin", "John Smith", "J*********"},
		{"spaces trimmed", " 张三 ", "张*"},
		{"empty", "", ""},
		{"invalid UTF-8 kept safe", "\xff张", "?*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskName(tt.in); got != tt.want {
				t.Errorf("MaskName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

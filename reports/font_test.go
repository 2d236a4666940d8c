package reports

import (
	"slices"
	"testing"
)

func TestCheckFont(t *testing.T) {
	if err := CheckFont(); err != nil {
		t.Fatal(err)
	}
}

func TestMissingGlyphs(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []rune
	}{
		{"common Chinese", "政府信息公开申请答复书铁岭市民政局张三李四王五", nil},
		{"digits and Latin", "0123456789 ABCXYZ abcxyz GKSQ-2026-000123 @./:", nil},
		{"CJK punctuation", "，。《》〔〕“”：；、？！（）【】…—", nil},
		{"control characters are never drawn", "第一段\n第二段\t\r", nil},
		{"extension B", "张𠀀", []rune{'𠀀'}},
		{"emoji", "好😀", []rune{'😀'}},
		{"each rune once, in order", "𠀁a😀𠀁😀", []rune{'𠀁', '😀'}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MissingGlyphs(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("MissingGlyphs(%q) = %q, want %q", tt.in, string(got), string(tt.want))
			}
		})
	}
}

// TestCmapFormatsAgree reads both Unicode subtables of the embedded font,
// so the format 4 reader, which the font itself does not need, is checked
// against the format 12 one.
func TestCmapFormatsAgree(t *testing.T) {
	subtables, err := cmapSubtables(sfnt(fontTTF))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := subtables[4]; !ok {
		t.Fatal("no format 4 subtable")
	}
	if _, ok := subtables[12]; !ok {
		t.Fatal("no format 12 subtable")
	}
	f4, err := readFormat4(sfnt(fontTTF), subtables[4])
	if err != nil {
		t.Fatal(err)
	}
	f12, err := readFormat12(sfnt(fontTTF), subtables[12])
	if err != nil {
		t.Fatal(err)
	}
	if len(f4) < 20000 || len(f4) != len(f12) {
		t.Fatalf("format 4 maps %d runes, format 12 %d", len(f4), len(f12))
	}
	for r := range f4 {
		if _, ok := f12[r]; !ok {
			t.Errorf("%U in format 4 only", r)
		}
	}
}

func TestParseCmapDamaged(t *testing.T) {
	for _, n := range []int{0, 3, 12, 200} {
		if _, err := parseCmap(fontTTF[:n]); err == nil {
			t.Errorf("parseCmap of %d bytes: no error", n)
		}
	}
}

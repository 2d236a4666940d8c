package reports

import (
	"slices"
	"strings"
	"testing"
)

func TestWrap(t *testing.T) {
	w := newWriter(Letter{})
	w.font(bodySize, black)
	char := w.pdf.GetStringWidth("字")
	tests := []struct {
		name  string
		in    string
		chars float64 // line width in Chinese characters
		want  []string
	}{
		{"fits", "政府信息公开", 10, []string{"政府信息公开"}},
		{"breaks between characters", "政府信息公开申请", 4, []string{"政府信息", "公开申请"}},
		{"comma never starts a line", "一二三四，五六", 4, []string{"一二三", "四，五六"}},
		{"full stop never starts a line", "一二三四。", 4, []string{"一二三", "四。"}},
		{"opening bracket never ends a line", "一二三《四》", 4, []string{"一二三", "《四》"}},
		{"number kept whole", "编号GKSQ-2026", 6, []string{"编号", "GKSQ-2026"}},
		{"break after a space", "hello world again", 4, []string{"hello", "world", "again"}},
		{"newline breaks", "第一行\n第二行", 10, []string{"第一行", "第二行"}},
		{"tab and carriage return", "甲\t乙\r\n丙", 10, []string{"甲 乙", "丙"}},
		{"word longer than the line is cut", strings.Repeat("x", 40), 4, nil}, // checked below
		{"empty", "", 4, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			width := tt.chars * char
			got := w.wrap(tt.in, width, width)
			if tt.want == nil {
				if len(got) < 2 || strings.Join(got, "") != tt.in {
					t.Errorf("wrap(%q) = %q, want it cut into lines", tt.in, got)
				}
			} else if !slices.Equal(got, tt.want) {
				t.Errorf("wrap(%q) = %q, want %q", tt.in, got, tt.want)
			}
			for _, line := range got {
				if lw := w.pdf.GetStringWidth(line); lw > width+0.01 {
					t.Errorf("line %q is %.1f mm, wider than %.1f", line, lw, width)
				}
			}
		})
	}
}

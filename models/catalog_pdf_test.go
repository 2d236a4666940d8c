package models

import (
	"errors"
	"strings"
	"testing"
)

func TestPDFTextLayer(t *testing.T) {
	reader := func(pages []string, complete bool, err error) PDFTextReader {
		return func([]byte) ([]string, bool, error) { return pages, complete, err }
	}
	tests := []struct {
		name      string
		read      PDFTextReader
		wantText  string
		wantLayer TextLayer
	}{
		{"complete", reader([]string{"第一页", "第二页\n第二行"}, true, nil), "\f第一页\n\f第二页\n第二行", TextLayerText},
		{"one page", reader([]string{"只有一页"}, true, nil), "\f只有一页", TextLayerText},
		{"partial", reader([]string{"第一页", ""}, false, nil), "\f第一页\n\f", TextLayerPartial},
		{"scan", reader([]string{" ", "\n"}, false, nil), "", TextLayerNone},
		{"error", reader(nil, false, errors.New("damaged")), "", TextLayerNone},
		{"cleaned", reader([]string{"a\x00b\fc\xff"}, true, nil), "\fab\nc\uFFFD", TextLayerText},
		{"too long", reader([]string{strings.Repeat("字", maxTextLayer/3+1)}, true, nil), "", TextLayerNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, layer := PDFTextLayer([]byte("%PDF-1.7"), tt.read)
			if text != tt.wantText || layer != tt.wantLayer {
				t.Errorf("got %q %s, want %q %s", text, layer, tt.wantText, tt.wantLayer)
			}
		})
	}
}

func TestTextPlace(t *testing.T) {
	pdf := "\f第一页\n联系人\n\f第二页\n第二行13812345678"
	plain := "第一行\n第二行13812345678"
	tests := []struct {
		text, at string
		page, ln int
	}{
		{pdf, "第一页", 1, 1},
		{pdf, "联系人", 1, 2},
		{pdf, "第二页", 2, 1},
		{pdf, "138", 2, 2},
		{plain, "第一行", 0, 1},
		{plain, "138", 0, 2},
	}
	for _, tt := range tests {
		page, line := TextPlace(tt.text, strings.Index(tt.text, tt.at))
		if page != tt.page || line != tt.ln {
			t.Errorf("TextPlace(%q at %q) = page %d line %d, want %d %d", tt.text, tt.at, page, line, tt.page, tt.ln)
		}
	}
}

// TestCheckCatalogFilePDF: with a reader, a PDF's text is checked and its
// findings placed by page; without one, or for a partial text layer, the
// file needs attestation, and what was read is checked all the same.
func TestCheckCatalogFilePDF(t *testing.T) {
	pdf := []byte("%PDF-1.7\n1 0 obj\n")
	read := func([]byte) ([]string, bool, error) {
		return []string{"封面", "联系人：张三\n身份证号110101199003074477"}, true, nil
	}
	f, err := CheckCatalogFileWith("名单.pdf", pdf, read)
	if err != nil || f.ContentType != TypePDF || f.TextLayer != TextLayerText {
		t.Fatalf("CheckCatalogFileWith = %+v, %v", f, err)
	}
	if g, _ := CheckCatalogFile("名单.pdf", pdf); g.TextLayer != TextLayerNone || g.Text != "" {
		t.Errorf("without a reader: %s %q", g.TextLayer, g.Text)
	}
	f.ID, f.SHA256 = 1, "aa"
	e := &CatalogEntry{Title: "名单", Summary: "名单"}
	got := CheckCatalogEntry(e, []CatalogFile{f}, LinkPolicy{})
	if len(got) != 1 || got[0].Kind != CatalogFindingKind(FindingResidentID) || got[0].Page != 2 || got[0].Line != 2 {
		t.Fatalf("findings = %+v", got)
	}

	f.TextLayer = TextLayerPartial
	got = CheckCatalogEntry(e, []CatalogFile{f}, LinkPolicy{})
	if len(got) != 2 || got[0].Kind != CatalogFindingUnreadable || !strings.Contains(got[0].Excerpt, "部分页面无法提取文字") ||
		got[1].Kind != CatalogFindingKind(FindingResidentID) {
		t.Errorf("partial layer findings = %+v", got)
	}
	for _, l := range []TextLayer{TextLayerText, TextLayerPartial, TextLayerNone} {
		if l.Label() == "" {
			t.Errorf("%s has no label", l)
		}
	}
}

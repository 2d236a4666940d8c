package reports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongkai/models"
)

func testGuide() models.Guide {
	a := catalogTestAgency()
	a.Fax = "024-72000001"
	a.Email = "gk@tieling.gov.cn"
	return models.BuildGuide(a, models.GuideInput{
		Rules: models.DefaultClockRules(), Categories: catalogTestCats(),
		Index: models.IndexRule{Pattern: models.DefaultIndexPattern}, PortalURL: "https://gk.tieling.gov.cn",
		UpdatedOn: models.MustParseDate("2026-02-10"),
	})
}

func TestWriteGuidePDF(t *testing.T) {
	g := testGuide()
	var buf bytes.Buffer
	if err := WriteGuidePDF(&buf, g, catalogCreated); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	WriteGuidePDF(&again, g, catalogCreated)
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("the same guide gave different bytes")
	}
	text, pages := catalogPDFText(t, buf.Bytes())
	if pages < 3 {
		t.Errorf("pages = %d", pages)
	}
	// Page footers interrupt paragraphs that cross a page: take them out.
	for p := 1; p <= pages; p++ {
		text = strings.ReplaceAll(text, "第"+strconv.Itoa(p)+"页/共"+strconv.Itoa(pages)+"页", "")
	}
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	check := []string{g.Title}
	check = append(check, g.Intro...)
	var walk func(s models.GuideSection)
	walk = func(s models.GuideSection) {
		check = append(check, s.Heading)
		for _, b := range s.Blocks {
			switch b.Kind {
			case models.GuideParagraph:
				check = append(check, b.Text)
			case models.GuideList:
				for i, it := range b.Items {
					check = append(check, strconv.Itoa(i+1)+"."+it)
				}
			case models.GuideFields:
				for _, f := range b.Fields {
					check = append(check, f.Label, f.Value)
				}
			}
		}
		for _, sub := range s.Subsections {
			walk(sub)
		}
	}
	for _, s := range g.Sections {
		walk(s)
	}
	for _, want := range check {
		if !strings.Contains(text, squash(want)) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
}

func TestWriteGuidePDFRefusesMissingGlyphs(t *testing.T) {
	g := testGuide()
	g.Sections[0].Blocks[0].Text = "𠀀"
	var buf bytes.Buffer
	var mg *MissingGlyphsError
	if err := WriteGuidePDF(&buf, g, catalogCreated); !errors.As(err, &mg) || buf.Len() != 0 {
		t.Errorf("err = %v, wrote %d bytes; want *MissingGlyphsError and nothing written", err, buf.Len())
	}
}

func mustGuideXLSX(t *testing.T, g models.Guide) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteGuideXLSX(&buf, g); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteGuideXLSX(t *testing.T) {
	g := testGuide()
	f, err := excelize.OpenReader(bytes.NewReader(mustGuideXLSX(t, g)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(GuideSheet)
	if err != nil {
		t.Fatal(err)
	}
	want := GuideXLSXRows(g)
	if len(rows) != len(want)+1 {
		t.Fatalf("rows = %d, want %d", len(rows), len(want)+1)
	}
	if rows[0][0] != g.Title {
		t.Errorf("A1 = %q", rows[0][0])
	}
	cell := func(r []string, i int) string {
		if i < len(r) {
			return r[i]
		}
		return ""
	}
	for i, w := range want {
		r := rows[i+1]
		switch {
		case w.Heading != "":
			if cell(r, 0) != w.Heading {
				t.Errorf("row %d = %q, want heading %q", i+2, r, w.Heading)
			}
		case w.Label == "":
			if cell(r, 0) != w.Text {
				t.Errorf("row %d = %q, want paragraph %q", i+2, r, w.Text)
			}
		default:
			if cell(r, 0) != w.Label || cell(r, 1) != w.Text {
				t.Errorf("row %d = %q, want %q / %q", i+2, r, w.Label, w.Text)
			}
		}
	}
	// The office's contacts (条例第十二条) are there as label and value.
	found := map[string]string{}
	for _, r := range rows {
		if len(r) == 2 {
			found[r[0]] = r[1]
		}
	}
	for label, value := range map[string]string{"名称": "铁岭市民政局办公室", "联系电话": "024-72000000", "传真号码": "024-72000001"} {
		if found[label] != value {
			t.Errorf("%s = %q, want %q", label, found[label], value)
		}
	}
}

func TestGuideXLSXLibreOffice(t *testing.T) {
	g := testGuide()
	path := filepath.Join(t.TempDir(), "guide.xlsx")
	if err := os.WriteFile(path, mustGuideXLSX(t, g), 0o600); err != nil {
		t.Fatal(err)
	}
	out := catalogSoffice(t, path, "csv:Text - txt - csv (StarCalc):44,34,76,1")
	b, err := os.ReadFile(filepath.Join(out, "guide.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(GuideXLSXRows(g))+1 || rows[0][0] != g.Title {
		t.Errorf("LibreOffice read %d rows, first %q", len(rows), rows[0])
	}
	out = catalogSoffice(t, path, "pdf")
	if st, err := os.Stat(filepath.Join(out, "guide.pdf")); err != nil || st.Size() == 0 {
		t.Errorf("LibreOffice wrote no PDF: %v", err)
	}
}

package store_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
	"gongkai/reports"
)

// textPDF is a PDF with a text layer: the catalog's own PDF listing one
// entry whose 内容概述 is summary.
func textPDF(t *testing.T, summary string) []byte {
	t.Helper()
	e := &models.CatalogEntry{IndexNo: "TLMZ/2026-00009", Title: "特困人员名单", Summary: summary,
		GeneratedOn: models.MustParseDate("2026-02-01"), CategoryLabel: "社会救助"}
	var buf bytes.Buffer
	_, err := reports.WriteCatalogPDF(&buf, reports.CatalogDoc{Agency: models.Agency{Name: "铁岭市民政局"},
		CreatedAt: time.Date(2026, 2, 10, 9, 0, 0, 0, storetest.Shanghai)},
		func(yield func(*models.CatalogEntry) error) error { return yield(e) })
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readPDF(b []byte) ([]string, bool, error) {
	return reports.ExtractPDFText(bytes.NewReader(b), int64(len(b)))
}

// TestCatalogPDFAttachments: a PDF with a text layer is read and scanned
// like any text, its findings placed by page; a PDF whose layer covers
// only some pages is scanned as far as it is read and needs attestation for
// the rest; one without text needs attestation, which the upload can
// carry.
func TestCatalogPDFAttachments(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		agency := storetest.DefaultAgency(t, s)
		ctx := publisherCtx(agency.ID)
		e := mustEntry(t, s, doc("2026年第一批特困人员认定结果", "a20-11", "2026-02-01"))

		f, saved, err := s.AttachCatalogFile(ctx, agency.ID, e.ID, store.CatalogUpload{Filename: "名单.pdf",
			Content: textPDF(t, "张三，公民身份号码110101199003074477。"), ReadPDF: readPDF})
		if err != nil || f.TextLayer != models.TextLayerText || saved.OpenFindings != 1 {
			t.Fatalf("text PDF: %+v %+v %v", f, saved, err)
		}
		review, _, err := s.ReviewCatalogEntry(ctx, agency.ID, e.ID)
		if err != nil || len(review.Findings) != 1 {
			t.Fatalf("review = %+v, %v", review, err)
		}
		got := review.Findings[0]
		if got.Kind != models.CatalogFindingKind(models.FindingResidentID) || got.Source != models.SourceFile ||
			got.FileName != "名单.pdf" || got.Page != 1 || got.Line < 1 || got.Excerpt != "1101**********4477" {
			t.Errorf("finding = %+v", got.CatalogFinding)
		}

		// The same bytes without a reader: no text layer, one finding to attest.
		plain, _, err := s.AddCatalogFile(ctx, agency.ID, e.ID, "名单副本.pdf", textPDF(t, "无个人信息。"), "")
		if err != nil || plain.TextLayer != models.TextLayerNone {
			t.Fatalf("PDF without a reader: %+v %v", plain, err)
		}

		// Partial: page 2 is a scan; page 1's mobile number is still found,
		// and the attestation clears the unreadable part only.
		partial := func([]byte) ([]string, bool, error) {
			return []string{"第一页\n联系人手机13812345678", ""}, false, nil
		}
		pf, saved, err := s.AttachCatalogFile(ctx, agency.ID, e.ID, store.CatalogUpload{Filename: "公示.pdf",
			Content: []byte("%PDF-1.7\npartial"), ReadPDF: partial, Attest: "已逐页人工审查第二页扫描件"})
		if err != nil || pf.TextLayer != models.TextLayerPartial {
			t.Fatalf("partial PDF: %+v %v", pf, err)
		}
		review, _, _ = s.ReviewCatalogEntry(ctx, agency.ID, e.ID)
		var unreadable, mobile *models.ReviewedFinding
		for i, rf := range review.Findings {
			if rf.FileID != pf.ID {
				continue
			}
			switch rf.Kind {
			case models.CatalogFindingUnreadable:
				unreadable = &review.Findings[i]
			case models.CatalogFindingKind(models.FindingMobile):
				mobile = &review.Findings[i]
			}
		}
		if unreadable == nil || unreadable.Open() || !strings.Contains(unreadable.Excerpt, "部分页面无法提取文字") {
			t.Errorf("unreadable part = %+v", unreadable)
		}
		if mobile == nil || !mobile.Open() || mobile.Page != 1 || mobile.Line != 2 {
			t.Errorf("mobile number on page 1 = %+v", mobile)
		}
		if saved.OpenFindings != 3 { // the ID number, the copy without a reader, the mobile number
			t.Errorf("open findings = %d, want 3", saved.OpenFindings)
		}

		// A reader that fails (a damaged file): no text layer.
		broken := func([]byte) ([]string, bool, error) { return nil, false, errors.New("damaged") }
		bf, _, err := s.AttachCatalogFile(ctx, agency.ID, e.ID, store.CatalogUpload{Filename: "损坏.pdf",
			Content: []byte("%PDF-1.7\nbroken"), ReadPDF: broken})
		if err != nil || bf.TextLayer != models.TextLayerNone {
			t.Errorf("damaged PDF: %+v %v", bf, err)
		}
	})
}

package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
	"gongkai/reports"
)

// publisherCtx is a context with a publisher as the actor, as the staff
// pages will set it.
func publisherCtx(agencyID int64) context.Context {
	return models.NewContextWithActor(context.Background(), models.Actor{UserID: 7, Name: "发布员（fabu）", ClientIP: "192.0.2.9", AgencyID: agencyID})
}

func mustEntry(t *testing.T, s *store.Store, e *models.CatalogEntry) *models.CatalogEntry {
	t.Helper()
	if e.AgencyID == 0 {
		e.AgencyID = storetest.DefaultAgency(t, s).ID
	}
	if e.Summary == "" {
		e.Summary = e.Title + "的内容概述。"
	}
	if e.URL == "" {
		e.URL = "https://mzj.tieling.gov.cn/" + fmt.Sprint(len(e.Title)) + ".html"
	}
	if err := s.CreateCatalogEntry(publisherCtx(e.AgencyID), e); err != nil {
		t.Fatalf("create entry %q: %v", e.Title, err)
	}
	return e
}

func mustPublish(t *testing.T, s *store.Store, e *models.CatalogEntry) *models.CatalogEntry {
	t.Helper()
	p, err := s.PublishCatalogEntry(publisherCtx(e.AgencyID), e.AgencyID, e.ID)
	if err != nil {
		t.Fatalf("publish %q: %v", e.Title, err)
	}
	return p
}

func doc(title, cat, made string) *models.CatalogEntry {
	return &models.CatalogEntry{Title: title, Category: cat, GeneratedOn: models.MustParseDate(made)}
}

func TestCatalogLifecycle(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		agency := storetest.DefaultAgency(t, s)
		ctx := publisherCtx(agency.ID)

		// Validation.
		bad := &models.CatalogEntry{AgencyID: agency.ID, Title: "", Category: "nope", GeneratedOn: models.MustParseDate("2027-01-01")}
		fe := models.FieldErrors(s.CreateCatalogEntry(ctx, bad))
		for _, f := range []string{"title", "summary", "category", "generated_on"} {
			if fe[f] == "" {
				t.Errorf("no error on %s: %v", f, fe)
			}
		}

		policy := mustEntry(t, s, doc("铁岭市最低生活保障审核确认办法", models.CategoryNormative, "2025-03-01"))
		if policy.Status != models.CatalogDraft || policy.IndexNo != "" || policy.Publisher != "铁岭市民政局" || policy.Version != 1 {
			t.Fatalf("new entry = %+v", policy)
		}
		if _, err := s.PublishedCatalogEntry(ctx, agency.ID, policy.ID); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("a draft is public: %v", err)
		}
		// An interpretation may not be published before its policy.
		interp := doc("《办法》解读", models.CategoryNormative, "2025-03-01")
		interp.InterpretsID = policy.ID
		mustEntry(t, s, interp)
		if _, err := s.PublishCatalogEntry(ctx, agency.ID, interp.ID); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("publish interpretation before policy: %v", err)
		}
		// No chains: an interpretation of an interpretation.
		chain := doc("解读的解读", "a20-02", "2025-03-02")
		chain.AgencyID, chain.InterpretsID, chain.Summary = agency.ID, interp.ID, "x"
		if err := s.CreateCatalogEntry(ctx, chain); models.FieldErrors(err)["interprets"] == "" {
			t.Errorf("chain accepted: %v", err)
		}

		p := mustPublish(t, s, policy)
		if p.IndexNo != "TLMZ/2025-00001" || p.Status != models.CatalogPublished || p.PublishedAt.IsZero() {
			t.Fatalf("published = %+v", p)
		}
		if _, err := s.PublishCatalogEntry(ctx, agency.ID, policy.ID); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("second publish: %v", err)
		}
		i := mustPublish(t, s, interp)
		if i.IndexNo != "TLMZ/2025-00002" {
			t.Errorf("interpretation index = %q", i.IndexNo)
		}
		other := mustPublish(t, s, mustEntry(t, s, doc("2026年1月低保统计", "a20-04", "2026-01-20")))
		if other.IndexNo != "TLMZ/2026-00001" {
			t.Errorf("first entry of 2026 = %q", other.IndexNo)
		}

		// Links both ways, as the public sees them.
		got, err := s.PublishedCatalogEntry(ctx, agency.ID, policy.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Interpretations) != 1 || got.Interpretations[0].ID != interp.ID || got.CategoryLabel != "第二十条第（一）项·行政规范性文件" || got.DocKind != models.DocNormative {
			t.Errorf("policy = %+v", got)
		}
		gi, _ := s.PublishedCatalogEntry(ctx, agency.ID, interp.ID)
		if gi.Interprets == nil || gi.Interprets.ID != policy.ID || gi.Interprets.IndexNo != "TLMZ/2025-00001" {
			t.Errorf("interpretation links to %+v", gi.Interprets)
		}

		// Edits: optimistic lock, 索引号 kept.
		edit := *got
		edit.Title = "铁岭市最低生活保障审核确认办法（修订）"
		edit.IndexNo = ""
		saved, err := s.UpdateCatalogEntry(ctx, &edit)
		if err != nil || saved.Unpublished || saved.Entry.IndexNo != "TLMZ/2025-00001" || saved.Entry.Version != got.Version+1 {
			t.Fatalf("update: %+v %v", saved, err)
		}
		stale := *got
		if _, err := s.UpdateCatalogEntry(ctx, &stale); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("stale update: %v", err)
		}
		renum := edit
		renum.IndexNo = "TLMZ/2025-99999"
		if _, err := s.UpdateCatalogEntry(ctx, &renum); models.FieldErrors(err)["index_no"] == "" {
			t.Errorf("renumbering accepted: %v", err)
		}

		// Retire and publish again; delete only unpublished drafts.
		if err := s.RetireCatalogEntry(ctx, agency.ID, other.ID, "x"); models.FieldErrors(err)["reason"] == "" {
			t.Errorf("retire without reason: %v", err)
		}
		if err := s.RetireCatalogEntry(ctx, agency.ID, other.ID, "重复发布"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PublishedCatalogEntry(ctx, agency.ID, other.ID); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("retired entry is public: %v", err)
		}
		if again := mustPublish(t, s, other); again.IndexNo != "TLMZ/2026-00001" {
			t.Errorf("republished with %q", again.IndexNo)
		}
		if err := s.DeleteCatalogDraft(ctx, agency.ID, other.ID); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("delete published: %v", err)
		}
		draft := mustEntry(t, s, doc("草稿", "a20-02", "2026-01-01"))
		if err := s.DeleteCatalogDraft(ctx, agency.ID, draft.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CatalogEntry(ctx, agency.ID, draft.ID); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("deleted draft: %v", err)
		}

		// Other agencies see nothing.
		if _, err := s.CatalogEntry(ctx, agency.ID+1, policy.ID); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("entry of another agency: %v", err)
		}

		// The trail has every step, by the publisher.
		entries, _, err := s.AuditEntries(context.Background(), store.AuditFilter{AgencyID: agency.ID, PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		count := map[models.AuditAction]int{}
		for _, e := range entries {
			count[e.Action]++
			if strings.HasPrefix(string(e.Action), "catalog.") && e.ActorName != "发布员（fabu）" {
				t.Errorf("%s by %q", e.Action, e.ActorName)
			}
		}
		if count[models.AuditCatalogCreated] != 4 || count[models.AuditCatalogPublished] != 4 || count[models.AuditCatalogRetired] != 1 ||
			count[models.AuditCatalogDeleted] != 1 || count[models.AuditCatalogUpdated] != 1 {
			t.Errorf("audit counts = %v", count)
		}
	})
}

// TestCatalogIndexGapFree: numbers are given at publication, concurrently
// without gaps or repeats; a refused publication uses none; a number taken
// by an import is skipped, not repeated.
func TestCatalogIndexGapFree(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		agency := storetest.DefaultAgency(t, s)
		ctx := publisherCtx(agency.ID)
		// A legacy number from an earlier catalog.
		legacy := doc("旧目录条目", "a20-02", "2025-01-05")
		legacy.IndexNo = "TLMZ/2025-00004"
		mustEntry(t, s, legacy)

		blocked := doc("含身份证号的条目", "a20-02", "2025-02-01")
		blocked.Summary = "身份证号110101199003074477"
		mustEntry(t, s, blocked)
		if _, err := s.PublishCatalogEntry(ctx, agency.ID, blocked.ID); models.ErrorCode(err) != models.ECONFLICT {
			t.Fatalf("publish with a finding: %v", err)
		}

		const n = 8
		var es []*models.CatalogEntry
		for i := 0; i < n; i++ {
			es = append(es, mustEntry(t, s, doc(fmt.Sprintf("条目%d", i), "a20-02", "2025-06-01")))
		}
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for _, e := range es {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.PublishCatalogEntry(ctx, agency.ID, e.ID); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("concurrent publish: %v", err)
		}
		page, err := s.SearchCatalog(ctx, models.CatalogQuery{AgencyID: agency.ID, Year: 2025, PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, e := range page.Entries {
			got[e.IndexNo] = true
		}
		// Published: 00001–00003, 00005–00009 (00004 is the legacy entry, a draft).
		for i := 1; i <= n+1; i++ {
			no := fmt.Sprintf("TLMZ/2025-%05d", i)
			if want := i != 4; got[no] != want {
				t.Errorf("%s published: %v, want %v", no, got[no], want)
			}
		}
		if len(got) != n {
			t.Errorf("%d numbers for %d entries: %v", len(got), n, got)
		}
	})
}

// TestCatalogCountsReproducePastYear: table 二 counts from the validity
// dates, the same for a past year before and after later changes, and in
// agreement with models.CountCatalog.
func TestCatalogCountsReproducePastYear(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		agency := storetest.DefaultAgency(t, s)
		ctx := publisherCtx(agency.ID)
		custom := &models.CatalogCategory{Label: "其他规范性文件", Item: 1, DocKind: models.DocNormative}
		if err := s.SaveCatalogCategory(ctx, agency.ID, custom); err != nil {
			t.Fatal(err)
		}
		d := models.MustParseDate
		mk := func(title, cat, made, repealed string, publish bool) *models.CatalogEntry {
			e := doc(title, cat, made)
			if repealed != "" {
				e.RepealedOn = d(repealed)
			}
			mustEntry(t, s, e)
			if publish {
				mustPublish(t, s, e)
			}
			return e
		}
		mk("规章一", models.CategoryRules, "2023-05-01", "", true)
		mk("规章二", models.CategoryRules, "2024-02-01", "2025-03-31", true)
		mk("规范性文件一", models.CategoryNormative, "2024-01-10", "", true)
		mk("规范性文件二", models.CategoryNormative, "2024-12-31", "2024-12-31", true)
		mk("规范性文件三", custom.Code, "2025-07-01", "", true)
		mk("规范性文件四", models.CategoryNormative, "2025-01-01", "2026-01-31", true)
		mk("草稿不计", models.CategoryNormative, "2025-01-01", "", false)
		mk("统计信息不计", "a20-04", "2025-01-01", "", true)
		policy := mk("有解读的文件", models.CategoryNormative, "2025-05-05", "", true)
		interp := doc("解读不计", models.CategoryNormative, "2025-05-05")
		interp.InterpretsID = policy.ID
		mustPublish(t, s, mustEntry(t, s, interp))

		want := map[int]models.CatalogCounts{
			2023: {Rules: models.CatalogLine{Issued: 1, InForce: 1}},
			2024: {Rules: models.CatalogLine{Issued: 1, InForce: 2}, Normative: models.CatalogLine{Issued: 2, Repealed: 1, InForce: 1}},
			2025: {Rules: models.CatalogLine{Repealed: 1, InForce: 1}, Normative: models.CatalogLine{Issued: 3, InForce: 4}},
			2026: {Rules: models.CatalogLine{InForce: 1}, Normative: models.CatalogLine{Repealed: 1, InForce: 3}},
		}
		check := func(when string) {
			t.Helper()
			var all []*models.CatalogEntry
			if err := s.EachCatalogEntry(ctx, models.CatalogQuery{AgencyID: agency.ID, Statuses: models.CatalogStatuses}, func(e *models.CatalogEntry) error {
				all = append(all, e)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			cats, _ := s.CatalogCategories(ctx, agency.ID)
			for year, w := range want {
				got, err := s.CatalogCounts(ctx, agency.ID, year)
				if err != nil {
					t.Fatal(err)
				}
				if got != w {
					t.Errorf("%s: %d counts = %+v, want %+v", when, year, got, w)
				}
				if ref := models.CountCatalogEntries(year, all, cats); ref != got {
					t.Errorf("%s: %d store counts %+v disagree with models.CountCatalog %+v", when, year, got, ref)
				}
			}
		}
		check("first")

		// A year on: new documents and a repeal dated 2026 leave 2024 and
		// 2025 as they were.
		clock.Advance(365 * 24 * 3600 * 1e9)
		mk("2027年新文件", models.CategoryNormative, "2027-01-15", "", true)
		page, _ := s.SearchCatalog(ctx, models.CatalogQuery{AgencyID: agency.ID, Text: "规范性文件一"})
		e := page.Entries[0]
		e.RepealedOn = d("2026-06-30")
		if _, err := s.UpdateCatalogEntry(ctx, e); err != nil {
			t.Fatal(err)
		}
		w := want[2026]
		w.Normative.Repealed, w.Normative.InForce = 2, 2
		want[2026] = w
		want[2027] = models.CatalogCounts{Rules: models.CatalogLine{InForce: 1}, Normative: models.CatalogLine{Issued: 1, InForce: 3}}
		check("a year later")

		// Validity at a date, as the public filter asks.
		for _, tt := range []struct {
			v    models.Validity
			on   string
			want int
		}{
			{models.ValidityRepealed, "2025-12-31", 2}, // 规章二, 规范性文件二
			{models.ValidityRepealed, "2027-02-10", 4},
			{models.ValidityInForce, "2024-06-30", 3},
			{models.ValidityPending, "2023-01-01", 0},
		} {
			page, err := s.SearchCatalog(ctx, models.CatalogQuery{AgencyID: agency.ID, Validity: tt.v, On: d(tt.on)})
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != tt.want {
				var titles []string
				for _, e := range page.Entries {
					titles = append(titles, e.Title)
				}
				t.Errorf("%s on %s: %d entries %v, want %d", tt.v, tt.on, page.Total, titles, tt.want)
			}
		}
	})
}

// TestCatalogFindingsBlockPublishing: a planted ID number or a commercial
// link blocks publishing until it is removed or justified.
func TestCatalogFindingsBlockPublishing(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		agency := storetest.DefaultAgency(t, s)
		ctx := publisherCtx(agency.ID)
		e := doc("低保对象公示", "a20-11", "2026-01-10")
		e.Summary = "公示对象张三，身份证号110101199003074477。详见 https://shop.example.com/list 。"
		e.URL = "https://mzj.tieling.gov.cn/gs.html"
		mustEntry(t, s, e)

		review, _, err := s.ReviewCatalogEntry(ctx, agency.ID, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if review.Open() != 2 {
			t.Fatalf("findings = %+v, want the ID number and the link", review.Findings)
		}
		id, link := review.Findings[0], review.Findings[1]
		if id.Kind != models.CatalogFindingKind(models.FindingResidentID) || link.Kind != models.CatalogFindingLink || id.Excerpt != "1101**********4477" {
			t.Errorf("findings = %+v / %+v", id, link)
		}
		_, err = s.PublishCatalogEntry(ctx, agency.ID, e.ID)
		if models.ErrorCode(err) != models.ECONFLICT || !strings.Contains(models.ErrorMessage(err), "2项") {
			t.Fatalf("publish = %v, want refused with 2 open findings", err)
		}

		// Justify the link; the ID number still blocks.
		if err := s.ClearCatalogFinding(ctx, agency.ID, e.ID, link.Fingerprint, "短"); models.FieldErrors(err)["note"] == "" {
			t.Errorf("short note accepted: %v", err)
		}
		if err := s.ClearCatalogFinding(ctx, agency.ID, e.ID, link.Fingerprint, "该平台为市政府指定的公示平台"); err != nil {
			t.Fatal(err)
		}
		if err := s.ClearCatalogFinding(ctx, agency.ID, e.ID, "no-such-fingerprint", "理由理由理由"); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("unknown fingerprint: %v", err)
		}
		if _, err := s.PublishCatalogEntry(ctx, agency.ID, e.ID); models.ErrorCode(err) != models.ECONFLICT {
			t.Fatalf("publish with the ID number: %v", err)
		}
		// Remove the number: the finding disappears; the link's
		// justification survives the edit.
		cur, _ := s.CatalogEntry(ctx, agency.ID, e.ID)
		cur.Summary = "公示对象张*。详见 https://shop.example.com/list 。"
		if _, err := s.UpdateCatalogEntry(ctx, cur); err != nil {
			t.Fatal(err)
		}
		review, _, _ = s.ReviewCatalogEntry(ctx, agency.ID, e.ID)
		if review.Open() != 0 || len(review.Findings) != 1 || review.Findings[0].Clearance == nil ||
			review.Findings[0].Clearance.ClearedName != "发布员（fabu）" || review.Findings[0].Clearance.Note != "该平台为市政府指定的公示平台" {
			t.Fatalf("review after the edit = %+v", review.Findings)
		}
		mustPublish(t, s, e)

		// An edit of a published entry that plants a phone number takes it
		// back to draft until cleared.
		cur, _ = s.CatalogEntry(ctx, agency.ID, e.ID)
		cur.Summary += "联系电话13812345678"
		saved, err := s.UpdateCatalogEntry(ctx, cur)
		if err != nil || !saved.Unpublished || saved.OpenFindings != 1 || saved.Entry.Status != models.CatalogDraft {
			t.Fatalf("edit with a phone number: %+v %v", saved, err)
		}
		if _, err := s.PublishedCatalogEntry(ctx, agency.ID, e.ID); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("entry with an open finding is public: %v", err)
		}
		review, _, _ = s.ReviewCatalogEntry(ctx, agency.ID, e.ID)
		for _, f := range review.Findings {
			if f.Open() {
				if err := s.ClearCatalogFinding(ctx, agency.ID, e.ID, f.Fingerprint, "本机关对外公布的办公电话"); err != nil {
					t.Fatal(err)
				}
			}
		}
		mustPublish(t, s, e)

		// Files: a PDF has no text layer here and needs attestation; with
		// it, attaching keeps the entry published.
		pdf := []byte("%PDF-1.4\n%…\n")
		f, saved, err := s.AddCatalogFile(ctx, agency.ID, e.ID, "公示名单.pdf", pdf, "已逐页人工审查，未见个人信息")
		if err != nil || saved.Unpublished || f.TextLayer != models.TextLayerNone {
			t.Fatalf("attested PDF: %+v %+v %v", f, saved, err)
		}
		_, saved, err = s.AddCatalogFile(ctx, agency.ID, e.ID, "名单.txt", []byte("王五 电话 13912345678"), "")
		if err != nil || !saved.Unpublished {
			t.Fatalf("text file with an ID number: %+v %v", saved, err)
		}
		got, _ := s.CatalogFile(ctx, agency.ID, e.ID, f.ID, false)
		if !bytes.Equal(got.Content, pdf) || got.ContentType != models.TypePDF {
			t.Errorf("file = %+v", got)
		}
		if _, err := s.CatalogFile(ctx, agency.ID, e.ID, f.ID, true); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("file of a draft is public: %v", err)
		}
		if _, _, err := s.AddCatalogFile(ctx, agency.ID, e.ID, "setup.exe", []byte("MZ\x90"), ""); models.ErrorCode(err) != models.EINVALID {
			t.Errorf("exe accepted: %v", err)
		}
		full, _ := s.CatalogEntry(ctx, agency.ID, e.ID)
		var txt int64
		for _, ff := range full.Files {
			if ff.Filename == "名单.txt" {
				txt = ff.ID
			}
		}
		if err := s.RemoveCatalogFile(ctx, agency.ID, e.ID, txt); err != nil {
			t.Fatal(err)
		}
		mustPublish(t, s, e)
	})
}

// TestCatalogLinkAllowlist: the agency's allow-list and website decide
// which links need a justification.
func TestCatalogLinkAllowlist(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		agency := storetest.DefaultAgency(t, s)
		ctx := publisherCtx(agency.ID)
		e := doc("办事指南", "a20-05", "2026-01-10")
		e.Summary = "在线办理：https://www.12345.cn/x 或 https://bszs.conac.cn/y"
		mustEntry(t, s, e)
		open := func() int {
			r, _, err := s.ReviewCatalogEntry(ctx, agency.ID, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			return r.Open()
		}
		if got := open(); got != 1 {
			t.Errorf("open = %d, want 1 (12345.cn is not on the default list, conac.cn is)", got)
		}
		cs, _ := s.CatalogSettings(ctx, agency.ID)
		cs.LinkAllowlist = append(cs.LinkAllowlist, "12345.cn")
		if err := s.SaveCatalogSettings(ctx, agency.ID, cs); err != nil {
			t.Fatal(err)
		}
		if got := open(); got != 0 {
			t.Errorf("open = %d after allowing 12345.cn", got)
		}
		cs.LinkAllowlist = nil
		s.SaveCatalogSettings(ctx, agency.ID, cs)
		if got := open(); got != 2 {
			t.Errorf("open = %d with an empty list", got)
		}
		if err := s.SaveCatalogSettings(ctx, agency.ID, models.CatalogSettings{Index: models.IndexRule{Pattern: "{seq}"}}); models.ErrorCode(err) != models.EINVALID {
			t.Errorf("bad pattern saved: %v", err)
		}
		// A custom pattern and organisation code shape the next number.
		cs.Index = models.IndexRule{Pattern: "{org}-{year}-{seq}", OrgCode: "11211200MB0000000X"}
		cs.LinkAllowlist = []string{"12345.cn", "conac.cn"}
		if err := s.SaveCatalogSettings(ctx, agency.ID, cs); err != nil {
			t.Fatal(err)
		}
		if p := mustPublish(t, s, e); p.IndexNo != "11211200MB0000000X-2026-00001" {
			t.Errorf("index = %q", p.IndexNo)
		}
	})
}

func TestCatalogSearch(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		agency := storetest.DefaultAgency(t, s)
		ctx := publisherCtx(agency.ID)
		for i := 0; i < 25; i++ {
			e := doc(fmt.Sprintf("养老服务补贴公示%02d", i), "a20-11", fmt.Sprintf("2025-%02d-01", i%12+1))
			mustPublish(t, s, mustEntry(t, s, e))
		}
		odd := doc("100%_完成情况", "a20-04", "2024-03-01")
		odd.DocNumber = "铁民发〔2024〕1号"
		mustPublish(t, s, mustEntry(t, s, odd))
		mustEntry(t, s, doc("养老服务草稿", "a20-11", "2025-01-01"))

		q := func(q models.CatalogQuery) *models.CatalogPage {
			t.Helper()
			q.AgencyID = agency.ID
			p, err := s.SearchCatalog(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		p := q(models.CatalogQuery{Text: "养老服务"})
		if p.Total != 25 || p.Pages != 2 || len(p.Entries) != 20 {
			t.Errorf("search: total %d pages %d len %d", p.Total, p.Pages, len(p.Entries))
		}
		p2 := q(models.CatalogQuery{Text: "养老服务", Page: 2})
		if len(p2.Entries) != 5 || p2.Entries[4].GeneratedOn.String() > p.Entries[19].GeneratedOn.String() {
			t.Errorf("page 2 = %d entries", len(p2.Entries))
		}
		for _, e := range append(p.Entries, p2.Entries...) {
			if e.Status != models.CatalogPublished {
				t.Errorf("draft %q in the public search", e.Title)
			}
		}
		if p := q(models.CatalogQuery{Text: "100%_"}); p.Total != 1 {
			t.Errorf("wildcards not escaped: %d", p.Total)
		}
		if p := q(models.CatalogQuery{Text: "0%"}); p.Total != 1 {
			t.Errorf("search 0%%: %d", p.Total)
		}
		if p := q(models.CatalogQuery{Text: "〔2024〕1号"}); p.Total != 1 {
			t.Errorf("search by 文号: %d", p.Total)
		}
		if p := q(models.CatalogQuery{Text: "TLMZ/2024-00001"}); p.Total != 1 || p.Entries[0].Title != odd.Title {
			t.Errorf("search by 索引号: %d", p.Total)
		}
		if p := q(models.CatalogQuery{Category: "a20-04"}); p.Total != 1 {
			t.Errorf("category filter: %d", p.Total)
		}
		if p := q(models.CatalogQuery{Year: 2024}); p.Total != 1 {
			t.Errorf("year filter: %d", p.Total)
		}
		if p := q(models.CatalogQuery{Statuses: models.CatalogStatuses, Text: "养老服务"}); p.Total != 26 {
			t.Errorf("staff search with drafts: %d", p.Total)
		}
		if _, err := s.SearchCatalog(ctx, models.CatalogQuery{AgencyID: agency.ID, Category: "nope"}); models.ErrorCode(err) != models.EINVALID {
			t.Errorf("unknown category: %v", err)
		}
		years, err := s.CatalogYears(ctx, agency.ID)
		if err != nil || fmt.Sprint(years) != "[2025 2024]" {
			t.Errorf("years = %v, %v", years, err)
		}
	})
}

// exportXLSX exports the agency's catalog (every status) as XLSX.
func exportXLSX(t *testing.T, s *store.Store, agencyID int64) []byte {
	t.Helper()
	ctx := context.Background()
	a, _ := s.Agency(ctx, agencyID)
	var buf bytes.Buffer
	_, err := reports.WriteCatalogXLSX(&buf, reports.CatalogDoc{Agency: *a, Today: s.Today()},
		func(yield func(*models.CatalogEntry) error) error {
			return s.EachCatalogEntry(ctx, models.CatalogQuery{AgencyID: agencyID, Statuses: models.CatalogStatuses}, yield)
		})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func importXLSX(t *testing.T, s *store.Store, agencyID int64, b []byte) (*models.CatalogImportResult, error) {
	t.Helper()
	ctx := publisherCtx(agencyID)
	cats, _ := s.CatalogCategories(ctx, agencyID)
	rows, err := reports.ReadCatalogXLSX(bytes.NewReader(b), cats)
	if err != nil {
		return nil, err
	}
	return s.ImportCatalog(ctx, agencyID, rows)
}

// sheetRows returns the cells of the catalog sheet, without the columns
// an import does not restore (files, status).
func sheetRows(t *testing.T, b []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(reports.CatalogSheet)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, r := range rows {
		var keep []string
		for i, c := range models.CatalogColumns {
			if c.Key == models.ColFiles || c.Key == models.ColStatus {
				continue
			}
			v := ""
			if i < len(r) {
				v = r[i]
			}
			keep = append(keep, v)
		}
		out = append(out, keep)
	}
	return out
}

// TestCatalogXLSXRoundTrip: entries exported as XLSX and imported into
// another database come back the same; imported again, nothing changes.
func TestCatalogXLSXRoundTrip(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		agency := storetest.DefaultAgency(t, s)
		ctx := publisherCtx(agency.ID)
		custom := &models.CatalogCategory{Label: "社会救助"}
		if err := s.SaveCatalogCategory(ctx, agency.ID, custom); err != nil {
			t.Fatal(err)
		}
		d := models.MustParseDate
		policy := doc("铁岭市最低生活保障审核确认办法", models.CategoryNormative, "2025-03-01")
		policy.DocNumber, policy.EffectiveOn, policy.AmendedOn = "铁民发〔2025〕3号", d("2025-04-01"), d("2025-09-01")
		policy.Summary = "规定最低生活保障的申请、审核和确认程序。\n第二段，含“引号”和 <尖括号> & 符号。"
		mustPublish(t, s, mustEntry(t, s, policy))
		interp := doc("《办法》政策解读", models.CategoryNormative, "2025-03-01")
		interp.InterpretsID = policy.ID
		mustPublish(t, s, mustEntry(t, s, interp))
		old := doc("临时救助实施细则", models.CategoryNormative, "2024-06-01")
		old.RepealedOn, old.Publisher = d("2025-12-31"), "铁岭市民政局 铁岭市财政局"
		mustPublish(t, s, mustEntry(t, s, old))
		mustPublish(t, s, mustEntry(t, s, doc("2025年12月低保统计", custom.Code, "2026-01-15")))
		// A draft without a number round-trips as a new draft.
		mustEntry(t, s, doc("尚未发布的草稿", "a20-02", "2026-02-01"))

		exported := exportXLSX(t, s, agency.ID)

		// Into a fresh database with the same custom category.
		s2, _ := storetest.Open(t, s.Dialect(), storetest.Options{})
		agency2 := storetest.DefaultAgency(t, s2)
		if err := s2.SaveCatalogCategory(publisherCtx(agency2.ID), agency2.ID, &models.CatalogCategory{Label: "社会救助"}); err != nil {
			t.Fatal(err)
		}
		res, err := importXLSX(t, s2, agency2.ID, exported)
		if err != nil {
			t.Fatal(err)
		}
		if res.Created != 5 || res.Updated != 0 {
			t.Errorf("import = %+v, want 5 created", res)
		}
		want, got := sheetRows(t, exported), sheetRows(t, exportXLSX(t, s2, agency2.ID))
		if len(got) != len(want) {
			t.Fatalf("rows = %d, want %d", len(got), len(want))
		}
		for i := range want {
			if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
				t.Errorf("row %d:\n got %q\nwant %q", i+1, got[i], want[i])
			}
		}
		// The link came back as a link, and imports publish nothing.
		page, _ := s2.SearchCatalog(ctx, models.CatalogQuery{AgencyID: agency2.ID, Statuses: models.CatalogStatuses, Text: "政策解读"})
		if page.Total != 1 || page.Entries[0].Interprets == nil || page.Entries[0].Interprets.IndexNo != "TLMZ/2025-00001" || page.Entries[0].Status != models.CatalogDraft {
			t.Errorf("imported interpretation = %+v", page.Entries)
		}
		if c, _ := s2.CatalogCounts(ctx, agency2.ID, 2025); c != (models.CatalogCounts{}) {
			t.Errorf("drafts counted: %+v", c)
		}

		// Into the same database: nothing changes, nothing is unpublished,
		// except that the numberless draft comes in again as a new draft.
		res, err = importXLSX(t, s, agency.ID, exported)
		if err != nil {
			t.Fatal(err)
		}
		if res.Unchanged != 4 || res.Updated != 0 || res.Created != 1 || res.Unpublished != 0 {
			t.Errorf("re-import = %+v", res)
		}
		if c, _ := s.CatalogCounts(ctx, agency.ID, 2025); c.Normative != (models.CatalogLine{Issued: 1, Repealed: 1, InForce: 1}) {
			t.Errorf("counts after re-import = %+v", c)
		}
	})
}

func TestCatalogImportProblems(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		agency := storetest.DefaultAgency(t, s)
		ctx := publisherCtx(agency.ID)
		mustPublish(t, s, mustEntry(t, s, doc("已发布文件", models.CategoryNormative, "2025-01-01")))
		row := func(n int, no, title, made, interprets string) models.CatalogImportRow {
			return models.CatalogImportRow{Row: n, InterpretsIndexNo: interprets, Entry: models.CatalogEntry{
				IndexNo: no, Title: title, Summary: "概述", GeneratedOn: models.MustParseDate(made), Category: models.CategoryNormative}}
		}
		_, err := s.ImportCatalog(ctx, agency.ID, []models.CatalogImportRow{
			row(2, "OLD/1", "一", "2024-01-01", ""),
			row(3, "OLD/1", "二", "2024-01-02", ""),
			row(4, "", "", "2024-01-03", ""),
		})
		var ie *models.ImportError
		if !errors.As(err, &ie) {
			t.Fatalf("err = %v", err)
		}
		var got []string
		for _, p := range ie.Problems {
			got = append(got, p.String())
		}
		if want := "第3行“索引号”：索引号“OLD/1”与第2行重复。|第4行“名称”：请填写名称。"; strings.Join(got, "|") != want {
			t.Errorf("problems = %q, want %q", got, want)
		}
		_, err = s.ImportCatalog(ctx, agency.ID, []models.CatalogImportRow{
			row(2, "OLD/2", "解读", "2025-01-02", "NOT/THERE"),
			row(3, "OLD/3", "解读二", "2025-01-02", "TLMZ/2025-00001"),
			row(4, "OLD/4", "解读的解读", "2025-01-02", "OLD/3"),
		})
		if !errors.As(err, &ie) {
			t.Fatalf("err = %v", err)
		}
		got = nil
		for _, p := range ie.Problems {
			got = append(got, p.String())
		}
		if want := "第2行“所解读政策文件的索引号”：找不到索引号为“NOT/THERE”的政策文件（本文件和已有目录中都没有）。|" +
			"第4行“所解读政策文件的索引号”：所解读的条目本身是解读，请填写政策文件的索引号。"; strings.Join(got, "|") != want {
			t.Errorf("problems = %q", got)
		}
		// Nothing of a refused import is kept.
		page, _ := s.SearchCatalog(ctx, models.CatalogQuery{AgencyID: agency.ID, Statuses: models.CatalogStatuses})
		if page.Total != 1 {
			t.Errorf("entries after refused imports = %d, want 1", page.Total)
		}
		_, err = s.ImportCatalog(ctx, agency.ID, []models.CatalogImportRow{
			row(3, "OLD/3", "解读二", "2025-01-02", "TLMZ/2025-00001"),
			row(4, "OLD/4", "解读的解读", "2025-01-02", "OLD/3"),
		})
		if !errors.As(err, &ie) || len(ie.Problems) != 1 || ie.Problems[0].Row != 4 {
			t.Errorf("chain: %v", err)
		}
	})
}

// TestEachCatalogEntryChunks reads more entries than one chunk, in order.
func TestEachCatalogEntryChunks(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		agency := storetest.DefaultAgency(t, s)
		ctx := publisherCtx(agency.ID)
		const n = 1203
		rows := make([]models.CatalogImportRow, n)
		for i := range rows {
			rows[i] = models.CatalogImportRow{Row: i + 2, Entry: models.CatalogEntry{
				IndexNo: fmt.Sprintf("OLD/%05d", i), Title: fmt.Sprintf("条目%d", i), Summary: "概述",
				GeneratedOn: models.NewDate(2020+i%5, 1, 1+i%28), Category: "a20-02"}}
		}
		res, err := s.ImportCatalog(ctx, agency.ID, rows)
		if err != nil || res.Created != n {
			t.Fatalf("import: %+v %v", res, err)
		}
		var got []*models.CatalogEntry
		stop := errors.New("stop")
		err = s.EachCatalogEntry(ctx, models.CatalogQuery{AgencyID: agency.ID, Statuses: models.CatalogStatuses}, func(e *models.CatalogEntry) error {
			got = append(got, e)
			return nil
		})
		if err != nil || len(got) != n {
			t.Fatalf("read %d entries: %v", len(got), err)
		}
		seen := map[int64]bool{}
		for i, e := range got {
			if seen[e.ID] {
				t.Fatalf("entry %d read twice", e.ID)
			}
			seen[e.ID] = true
			if i > 0 && (e.GeneratedOn.After(got[i-1].GeneratedOn) || e.GeneratedOn == got[i-1].GeneratedOn && e.ID > got[i-1].ID) {
				t.Fatalf("out of order at %d", i)
			}
		}
		calls := 0
		err = s.EachCatalogEntry(ctx, models.CatalogQuery{AgencyID: agency.ID, Statuses: models.CatalogStatuses}, func(*models.CatalogEntry) error {
			calls++
			if calls == 3 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || calls != 3 {
			t.Errorf("stop: %v after %d", err, calls)
		}
	})
}

// TestCatalogImportUpdates: rows whose 索引号 names a stored entry update
// it; a published entry whose new text raises a finding goes back to
// draft; links change with the file.
func TestCatalogImportUpdates(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		agency := storetest.DefaultAgency(t, s)
		ctx := publisherCtx(agency.ID)
		a := mustPublish(t, s, mustEntry(t, s, doc("政策甲", models.CategoryNormative, "2025-01-01")))
		b := mustPublish(t, s, mustEntry(t, s, doc("政策乙", models.CategoryNormative, "2025-01-02")))
		i := doc("解读", models.CategoryNormative, "2025-01-03")
		i.InterpretsID = a.ID
		i = mustPublish(t, s, mustEntry(t, s, i))

		rowOf := func(n int, e *models.CatalogEntry, interprets string) models.CatalogImportRow {
			return models.CatalogImportRow{Row: n, InterpretsIndexNo: interprets, Entry: models.CatalogEntry{IndexNo: e.IndexNo,
				Title: e.Title, Summary: e.Summary, GeneratedOn: e.GeneratedOn, Publisher: e.Publisher, Category: e.Category,
				URL: e.URL}}
		}
		rA := rowOf(2, a, "")
		rA.Entry.Summary = "修改后的概述，咨询电话13812345678。"
		rA.Entry.RepealedOn = models.MustParseDate("2026-01-31")
		rB := rowOf(3, b, "")
		rI := rowOf(4, i, b.IndexNo) // the interpretation now explains 政策乙
		res, err := s.ImportCatalog(ctx, agency.ID, []models.CatalogImportRow{rA, rB, rI})
		if err != nil {
			t.Fatal(err)
		}
		if res.Updated != 2 || res.Unchanged != 1 || res.Created != 0 || res.Unpublished != 1 {
			t.Errorf("import = %+v, want 2 updated (one unpublished), 1 unchanged", res)
		}
		gotA, _ := s.CatalogEntry(ctx, agency.ID, a.ID)
		if gotA.Status != models.CatalogDraft || gotA.RepealedOn.String() != "2026-01-31" || gotA.Version != a.Version+1 || gotA.IndexNo != a.IndexNo {
			t.Errorf("政策甲 = %+v", gotA)
		}
		gotB, _ := s.CatalogEntry(ctx, agency.ID, b.ID)
		if len(gotB.Interpretations) != 1 || gotB.Interpretations[0].ID != i.ID {
			t.Errorf("政策乙 interpretations = %+v", gotB.Interpretations)
		}
		// An empty cell clears a link to a numbered policy.
		rI.InterpretsIndexNo = ""
		if res, err := s.ImportCatalog(ctx, agency.ID, []models.CatalogImportRow{rI}); err != nil || res.Updated != 1 {
			t.Fatalf("clear link: %+v %v", res, err)
		}
		if gotI, _ := s.CatalogEntry(ctx, agency.ID, i.ID); gotI.InterpretsID != 0 {
			t.Errorf("link kept: %d", gotI.InterpretsID)
		}
	})
}

func TestCatalogCategories(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		agency := storetest.DefaultAgency(t, s)
		ctx := publisherCtx(agency.ID)
		c := &models.CatalogCategory{Label: "社会救助", SortOrder: 2}
		if err := s.SaveCatalogCategory(ctx, agency.ID, c); err != nil || c.Code != "c1" {
			t.Fatalf("create: %q %v", c.Code, err)
		}
		c2 := &models.CatalogCategory{Label: "政策解读", SortOrder: 1}
		if err := s.SaveCatalogCategory(ctx, agency.ID, c2); err != nil || c2.Code != "c2" {
			t.Fatalf("create: %q %v", c2.Code, err)
		}
		if err := s.SaveCatalogCategory(ctx, agency.ID, &models.CatalogCategory{Label: "社会救助"}); models.FieldErrors(err)["label"] == "" {
			t.Errorf("duplicate label: %v", err)
		}
		if err := s.SaveCatalogCategory(ctx, agency.ID, &models.CatalogCategory{Code: models.CategoryRules, Label: "x"}); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("changing a built-in: %v", err)
		}
		// Flagging a category as 行政规范性文件 makes its documents count.
		e := mustPublish(t, s, mustEntry(t, s, doc("救助文件", c.Code, "2025-05-01")))
		if got, _ := s.CatalogCounts(ctx, agency.ID, 2025); got != (models.CatalogCounts{}) {
			t.Errorf("counted before the flag: %+v", got)
		}
		c.Label, c.DocKind, c.Item = "社会救助政策", models.DocNormative, 1
		if err := s.SaveCatalogCategory(ctx, agency.ID, c); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.CatalogCounts(ctx, agency.ID, 2025); got.Normative != (models.CatalogLine{Issued: 1, InForce: 1}) {
			t.Errorf("counts after the flag: %+v", got)
		}
		cats, _ := s.CatalogCategories(ctx, agency.ID)
		n := len(cats)
		if cats[n-2].Code != "c2" || cats[n-1].Label != "社会救助政策" || !cats[n-1].Custom {
			t.Errorf("agency categories = %+v", cats[n-2:])
		}
		got, _ := s.CatalogEntry(ctx, agency.ID, e.ID)
		if got.CategoryLabel != "社会救助政策" || got.DocKind != models.DocNormative {
			t.Errorf("entry category = %q %q", got.CategoryLabel, got.DocKind)
		}
	})
}

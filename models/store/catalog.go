package store

// The 政府信息公开目录: entries, their files, the agency's categories and
// settings, the pre-publication checks and the publisher's clearances,
// search, streaming export, import and the table 二 counts. The rules are
// in models/catalog*.go; this file stores them.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/models"
)

// Catalog setting names (agency_settings).
const (
	SettingCatalogIndexPattern = "catalog.index_pattern"
	SettingCatalogOrgCode      = "catalog.org_code"
	SettingCatalogAllowlist    = "catalog.link_allowlist" // one domain per line
)

// Sequence names of the catalog.
const (
	seqCatalogIndex    = "catalog_index"    // 索引号, per year of the 生成日期
	seqCatalogCategory = "catalog_category" // codes of agency categories (year 0)
)

// catalogChunk is how many entries an export reads at a time.
const catalogChunk = 500

// catalogTx runs fn in a transaction. Every catalog write ends with an
// audit entry in the same transaction (auditTx locks the trail's head and
// reads the row it names with a locking read, so the order of earlier reads
// does not matter).
func (s *Store) catalogTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.withTx(ctx, fn)
}

// rowQueryer is what reads need from *sql.DB and *sql.Tx alike.
type rowQueryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// CatalogSettings returns an agency's catalog settings: the defaults,
// overridden by its catalog.* settings.
func (s *Store) CatalogSettings(ctx context.Context, agencyID int64) (models.CatalogSettings, error) {
	cs := models.DefaultCatalogSettings()
	all, err := s.AgencySettings(ctx, agencyID)
	if err != nil {
		return cs, err
	}
	if v, ok := all[SettingCatalogIndexPattern]; ok && v != "" {
		cs.Index.Pattern = v
	}
	cs.Index.OrgCode = all[SettingCatalogOrgCode]
	if v, ok := all[SettingCatalogAllowlist]; ok {
		cs.LinkAllowlist = models.ParseDomainList(v)
	}
	return cs, nil
}

// SaveCatalogSettings checks and stores an agency's catalog settings.
func (s *Store) SaveCatalogSettings(ctx context.Context, agencyID int64, cs models.CatalogSettings) error {
	if err := cs.Validate(); err != nil {
		return err
	}
	old, err := s.CatalogSettings(ctx, agencyID)
	if err != nil {
		return err
	}
	return s.catalogTx(ctx, func(tx *sql.Tx) error {
		for name, v := range map[string]string{
			SettingCatalogIndexPattern: strings.TrimSpace(cs.Index.Pattern),
			SettingCatalogOrgCode:      strings.TrimSpace(cs.Index.OrgCode),
			SettingCatalogAllowlist:    strings.Join(cs.LinkAllowlist, "\n"),
		} {
			if err := s.putSettingTx(ctx, tx, agencyID, name, v); err != nil {
				return err
			}
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: agencyID, Action: models.AuditCatalogSettingsSaved,
			ObjectType: models.AuditObjectAgency, ObjectID: strconv.FormatInt(agencyID, 10),
			Before: models.AuditData(catalogSettingsAudit(old)), After: models.AuditData(catalogSettingsAudit(cs))})
	})
}

func catalogSettingsAudit(cs models.CatalogSettings) map[string]any {
	return map[string]any{"index_pattern": cs.Index.Pattern, "org_code": cs.Index.OrgCode, "link_allowlist": cs.LinkAllowlist}
}

// putSettingTx stores one agency setting inside tx.
func (s *Store) putSettingTx(ctx context.Context, tx *sql.Tx, agencyID int64, name, value string) error {
	now := s.nowUTC()
	res, err := tx.ExecContext(ctx, `UPDATE agency_settings SET value = ?, updated_at = ? WHERE agency_id = ? AND name = ?`,
		value, now, agencyID, name)
	if err != nil {
		return fmt.Errorf("set agency setting %s: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO agency_settings (agency_id, name, value, updated_at) VALUES (?, ?, ?, ?)`,
		agencyID, name, value, now); err != nil {
		return fmt.Errorf("set agency setting %s: %w", name, err)
	}
	return nil
}

// CatalogCategories returns an agency's categories: the built-in ones of
// 条例第二十条, then its own in their order.
func (s *Store) CatalogCategories(ctx context.Context, agencyID int64) (models.CatalogCategories, error) {
	return s.catalogCategories(ctx, s.db, agencyID)
}

func (s *Store) catalogCategories(ctx context.Context, q rowQueryer, agencyID int64) (models.CatalogCategories, error) {
	cats := models.CatalogCategories(models.BuiltinCategories())
	rows, err := q.QueryContext(ctx, `SELECT code, label, item, doc_kind, sort_order FROM catalog_categories
		WHERE agency_id = ? ORDER BY sort_order, id`, agencyID)
	if err != nil {
		return nil, fmt.Errorf("list catalog categories: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c := models.CatalogCategory{Custom: true}
		var kind string
		if err := rows.Scan(&c.Code, &c.Label, &c.Item, &kind, &c.SortOrder); err != nil {
			return nil, fmt.Errorf("list catalog categories: %w", err)
		}
		c.DocKind = models.CatalogDocKind(kind)
		cats = append(cats, c)
	}
	return cats, rows.Err()
}

// SaveCatalogCategory creates an agency category (c.Code empty; the code
// is given here) or changes one. Changing a category's DocKind changes
// which documents table 二 counts, for past years too: the counts follow
// the categories as they are.
func (s *Store) SaveCatalogCategory(ctx context.Context, agencyID int64, c *models.CatalogCategory) error {
	cats, err := s.CatalogCategories(ctx, agencyID)
	if err != nil {
		return err
	}
	if c.Code != "" {
		if old, ok := cats.Lookup(c.Code); !ok || !old.Custom {
			return models.Errorf(models.ENOTFOUND, "未找到该类别（内置类别不能修改）。")
		}
	}
	if err := c.Validate(cats); err != nil {
		return err
	}
	now := s.nowUTC()
	return s.catalogTx(ctx, func(tx *sql.Tx) error {
		if c.Code == "" {
			n, err := s.nextValue(ctx, tx, agencyID, seqCatalogCategory, 0)
			if err != nil {
				return err
			}
			c.Code = "c" + strconv.Itoa(n)
			_, err = tx.ExecContext(ctx, `INSERT INTO catalog_categories (agency_id, code, label, item, doc_kind, sort_order, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, agencyID, c.Code, c.Label, c.Item, string(c.DocKind), c.SortOrder, now, now)
			if isUniqueViolation(err) {
				return models.Invalid(models.FieldError{Field: "label", Message: "已有同名类别。"})
			}
			if err != nil {
				return fmt.Errorf("create catalog category: %w", err)
			}
		} else {
			_, err := tx.ExecContext(ctx, `UPDATE catalog_categories SET label = ?, item = ?, doc_kind = ?, sort_order = ?, updated_at = ?
				WHERE agency_id = ? AND code = ?`, c.Label, c.Item, string(c.DocKind), c.SortOrder, now, agencyID, c.Code)
			if isUniqueViolation(err) {
				return models.Invalid(models.FieldError{Field: "label", Message: "已有同名类别。"})
			}
			if err != nil {
				return fmt.Errorf("update catalog category: %w", err)
			}
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: agencyID, Action: models.AuditCatalogCategorySaved,
			ObjectType: models.AuditObjectAgency, ObjectID: c.Code,
			After: models.AuditData(map[string]any{"label": c.Label, "item": c.Item, "doc_kind": c.DocKind})})
	})
}

// catalogScope is what the writes of one agency's catalog need besides the
// entry: its profile, categories, settings and today.
type catalogScope struct {
	agency   *models.Agency
	cats     models.CatalogCategories
	settings models.CatalogSettings
	links    models.LinkPolicy
	today    models.Date
}

func (s *Store) catalogScope(ctx context.Context, agencyID int64) (*catalogScope, error) {
	a, err := s.Agency(ctx, agencyID)
	if err != nil {
		return nil, err
	}
	cats, err := s.CatalogCategories(ctx, agencyID)
	if err != nil {
		return nil, err
	}
	cs, err := s.CatalogSettings(ctx, agencyID)
	if err != nil {
		return nil, err
	}
	return &catalogScope{agency: a, cats: cats, settings: cs, links: models.NewLinkPolicy(cs, a.Website), today: s.Today()}, nil
}

// catalogColumns lists an entry row's columns, prefixed with alias.
func catalogColumns(alias string) string {
	cols := []string{"id", "agency_id", "index_no", "title", "summary", "generated_on", "publisher", "category",
		"doc_number", "effective_on", "amended_on", "repealed_on", "url", "interprets_id", "status", "published_at",
		"retired_at", "retire_reason", "version", "created_at", "updated_at"}
	for i, c := range cols {
		cols[i] = alias + "." + c
	}
	return strings.Join(cols, ", ")
}

func scanCatalogEntry(row interface{ Scan(...any) error }) (*models.CatalogEntry, error) {
	var e models.CatalogEntry
	var indexNo sql.NullString
	var interprets sql.NullInt64
	var status string
	err := row.Scan(&e.ID, &e.AgencyID, &indexNo, &e.Title, &e.Summary, &e.GeneratedOn, &e.Publisher, &e.Category,
		&e.DocNumber, &e.EffectiveOn, &e.AmendedOn, &e.RepealedOn, &e.URL, &interprets, &status,
		scanTime{&e.PublishedAt}, scanTime{&e.RetiredAt}, &e.RetireReason, &e.Version,
		scanTime{&e.CreatedAt}, scanTime{&e.UpdatedAt})
	if err != nil {
		return nil, err
	}
	e.IndexNo, e.InterpretsID, e.Status = indexNo.String, interprets.Int64, models.CatalogStatus(status)
	return &e, nil
}

// nullString stores "" as NULL (a draft's missing 索引号, so that the
// unique index allows many).
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// loadEntryTx reads one entry of the agency, locking it for the rest of
// tx.
func (s *Store) loadEntryTx(ctx context.Context, tx *sql.Tx, agencyID, id int64) (*models.CatalogEntry, error) {
	e, err := scanCatalogEntry(tx.QueryRowContext(ctx, `SELECT `+catalogColumns("e")+` FROM catalog_entries e
		WHERE e.agency_id = ? AND e.id = ?`+s.forUpdate(), agencyID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, models.Errorf(models.ENOTFOUND, "未找到该目录条目。")
	}
	if err != nil {
		return nil, fmt.Errorf("read catalog entry %d: %w", id, err)
	}
	return e, nil
}

// checkInterprets checks that e's policy exists in the agency and is not
// itself an interpretation, and that e is not the policy of another
// interpretation (no chains).
func (s *Store) checkInterprets(ctx context.Context, q rowQueryer, e *models.CatalogEntry) error {
	if e.InterpretsID == 0 {
		return nil
	}
	var target sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT interprets_id FROM catalog_entries WHERE agency_id = ? AND id = ?`,
		e.AgencyID, e.InterpretsID).Scan(&target)
	if errors.Is(err, sql.ErrNoRows) {
		return models.Invalid(models.FieldError{Field: "interprets", Message: "所解读的政策文件不存在。"})
	}
	if err != nil {
		return fmt.Errorf("check interpreted entry: %w", err)
	}
	if target.Valid {
		return models.Invalid(models.FieldError{Field: "interprets", Message: "所选条目本身是解读，请选择政策文件。"})
	}
	if e.ID != 0 {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM catalog_entries WHERE interprets_id = ?`, e.ID).Scan(&n); err != nil {
			return fmt.Errorf("check interpretations: %w", err)
		}
		if n > 0 {
			return models.Invalid(models.FieldError{Field: "interprets", Message: "本条目已有解读关联到它，不能再作为其他文件的解读。"})
		}
	}
	return nil
}

func actorID(ctx context.Context) int64 {
	a, _ := models.ActorFromContext(ctx)
	return a.UserID
}

// catalogAudit is what the trail records of an entry.
func catalogAudit(e *models.CatalogEntry) map[string]any {
	return map[string]any{
		"index_no": e.IndexNo, "title": e.Title, "summary": e.Summary, "generated_on": e.GeneratedOn.String(),
		"publisher": e.Publisher, "category": e.Category, "doc_number": e.DocNumber,
		"effective_on": e.EffectiveOn.String(), "amended_on": e.AmendedOn.String(), "repealed_on": e.RepealedOn.String(),
		"url": e.URL, "interprets_id": e.InterpretsID, "status": string(e.Status),
	}
}

func auditID(e *models.CatalogEntry) string {
	if e.IndexNo != "" {
		return e.IndexNo
	}
	return "#" + strconv.FormatInt(e.ID, 10)
}

// prepareEntry fills an entry's defaults and checks it.
func (sc *catalogScope) prepareEntry(e *models.CatalogEntry) error {
	e.AgencyID = sc.agency.ID
	if strings.TrimSpace(e.Publisher) == "" {
		e.Publisher = sc.agency.Name
	}
	if err := e.Validate(sc.cats, sc.today); err != nil {
		return err
	}
	sc.cats.Resolve(e)
	return nil
}

// CreateCatalogEntry stores a new draft. Its 索引号 is given when it is
// first published, unless e.IndexNo carries one (from an earlier
// catalog). An empty 发布机构 is the agency's name.
func (s *Store) CreateCatalogEntry(ctx context.Context, e *models.CatalogEntry) error {
	sc, err := s.catalogScope(ctx, e.AgencyID)
	if err != nil {
		return err
	}
	if err := sc.prepareEntry(e); err != nil {
		return err
	}
	return s.catalogTx(ctx, func(tx *sql.Tx) error {
		if err := s.insertEntryTx(ctx, tx, e); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: e.AgencyID, Action: models.AuditCatalogCreated,
			ObjectType: models.AuditObjectCatalogEntry, ObjectID: auditID(e), After: models.AuditData(catalogAudit(e))})
	})
}

func (s *Store) insertEntryTx(ctx context.Context, tx *sql.Tx, e *models.CatalogEntry) error {
	if err := s.checkInterprets(ctx, tx, e); err != nil {
		return err
	}
	now := s.nowUTC()
	e.Status, e.Version, e.CreatedAt, e.UpdatedAt = models.CatalogDraft, 1, now, now
	res, err := tx.ExecContext(ctx, `INSERT INTO catalog_entries (agency_id, index_no, title, summary, generated_on,
		publisher, category, doc_number, effective_on, amended_on, repealed_on, url, interprets_id, status,
		retire_reason, version, created_by, updated_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 1, ?, ?, ?, ?)`,
		e.AgencyID, nullString(e.IndexNo), e.Title, e.Summary, e.GeneratedOn, e.Publisher, e.Category, e.DocNumber,
		e.EffectiveOn, e.AmendedOn, e.RepealedOn, e.URL, nullID(e.InterpretsID), string(e.Status),
		actorID(ctx), actorID(ctx), now, now)
	if isUniqueViolation(err) {
		return models.Invalid(models.FieldError{Field: "index_no", Message: "索引号“" + e.IndexNo + "”已被其他条目使用。"})
	}
	if err != nil {
		return fmt.Errorf("create catalog entry: %w", err)
	}
	e.ID, err = res.LastInsertId()
	return err
}

// CatalogSaved is the result of a change to an entry.
type CatalogSaved struct {
	Entry *models.CatalogEntry
	// Unpublished is true when the entry was published and the change
	// raised a finding that is not cleared: it went back to draft and left
	// the public catalog until the publisher clears the finding and
	// publishes it again.
	Unpublished bool
	// OpenFindings is the number of findings that block publishing.
	OpenFindings int
}

// UpdateCatalogEntry saves a changed entry. e.Version must be the version
// the change was made from (optimistic lock). The 索引号 cannot change
// once given; an empty e.IndexNo keeps the stored one. A published entry
// is checked again, and goes back to draft if the change raised a finding
// that is not cleared: nothing public ever has an open finding.
func (s *Store) UpdateCatalogEntry(ctx context.Context, e *models.CatalogEntry) (*CatalogSaved, error) {
	sc, err := s.catalogScope(ctx, e.AgencyID)
	if err != nil {
		return nil, err
	}
	if err := sc.prepareEntry(e); err != nil {
		return nil, err
	}
	var out *CatalogSaved
	err = s.catalogTx(ctx, func(tx *sql.Tx) error {
		old, err := s.loadEntryTx(ctx, tx, e.AgencyID, e.ID)
		if err != nil {
			return err
		}
		if old.Version != e.Version {
			return models.Errorf(models.ECONFLICT, "该条目已被其他人修改，请刷新页面后重新修改。")
		}
		out, err = s.updateEntryTx(ctx, tx, sc, old, e)
		return err
	})
	return out, err
}

// updateEntryTx writes e over old (already locked), re-checks a published
// entry and records the change.
func (s *Store) updateEntryTx(ctx context.Context, tx *sql.Tx, sc *catalogScope, old, e *models.CatalogEntry) (*CatalogSaved, error) {
	switch {
	case e.IndexNo == "":
		e.IndexNo = old.IndexNo
	case old.IndexNo != "" && e.IndexNo != old.IndexNo:
		return nil, models.Invalid(models.FieldError{Field: "index_no", Message: "索引号确定后不能修改。"})
	}
	if err := s.checkInterprets(ctx, tx, e); err != nil {
		return nil, err
	}
	now := s.nowUTC()
	e.Status, e.PublishedAt, e.RetiredAt, e.RetireReason = old.Status, old.PublishedAt, old.RetiredAt, old.RetireReason
	e.CreatedAt, e.UpdatedAt, e.Version = old.CreatedAt, now, old.Version+1
	_, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET index_no = ?, title = ?, summary = ?, generated_on = ?,
		publisher = ?, category = ?, doc_number = ?, effective_on = ?, amended_on = ?, repealed_on = ?, url = ?,
		interprets_id = ?, version = ?, updated_by = ?, updated_at = ? WHERE id = ?`,
		nullString(e.IndexNo), e.Title, e.Summary, e.GeneratedOn, e.Publisher, e.Category, e.DocNumber,
		e.EffectiveOn, e.AmendedOn, e.RepealedOn, e.URL, nullID(e.InterpretsID), e.Version, actorID(ctx), now, e.ID)
	if isUniqueViolation(err) {
		return nil, models.Invalid(models.FieldError{Field: "index_no", Message: "索引号“" + e.IndexNo + "”已被其他条目使用。"})
	}
	if err != nil {
		return nil, fmt.Errorf("update catalog entry %d: %w", e.ID, err)
	}
	if err := s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: e.AgencyID, Action: models.AuditCatalogUpdated,
		ObjectType: models.AuditObjectCatalogEntry, ObjectID: auditID(e),
		Before: models.AuditData(catalogAudit(old)), After: models.AuditData(catalogAudit(e))}); err != nil {
		return nil, err
	}
	return s.recheckTx(ctx, tx, sc, e)
}

// recheckTx runs the checks on an entry inside tx and takes a published
// entry with an open finding back to draft.
func (s *Store) recheckTx(ctx context.Context, tx *sql.Tx, sc *catalogScope, e *models.CatalogEntry) (*CatalogSaved, error) {
	review, err := s.reviewTx(ctx, tx, sc, e)
	if err != nil {
		return nil, err
	}
	out := &CatalogSaved{Entry: e, OpenFindings: review.Open()}
	if e.Status != models.CatalogPublished || review.CanPublish() {
		return out, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET status = ? WHERE id = ?`, string(models.CatalogDraft), e.ID); err != nil {
		return nil, fmt.Errorf("unpublish catalog entry %d: %w", e.ID, err)
	}
	e.Status, out.Unpublished = models.CatalogDraft, true
	return out, s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: e.AgencyID, Action: models.AuditCatalogUnpublished,
		ObjectType: models.AuditObjectCatalogEntry, ObjectID: auditID(e),
		After: models.AuditData(map[string]any{"open_findings": review.Open()})})
}

// DeleteCatalogDraft deletes a draft that was never published (it has no
// 索引号) and that no interpretation points to.
func (s *Store) DeleteCatalogDraft(ctx context.Context, agencyID, id int64) error {
	return s.catalogTx(ctx, func(tx *sql.Tx) error {
		e, err := s.loadEntryTx(ctx, tx, agencyID, id)
		if err != nil {
			return err
		}
		if e.Status != models.CatalogDraft || e.IndexNo != "" {
			return models.Errorf(models.ECONFLICT, "已发布过的条目不能删除，可以撤下。")
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM catalog_entries WHERE interprets_id = ?`, id).Scan(&n); err != nil {
			return fmt.Errorf("delete catalog draft: %w", err)
		}
		if n > 0 {
			return models.Errorf(models.ECONFLICT, "有解读关联到本条目，请先取消关联。")
		}
		for _, q := range []string{`DELETE FROM catalog_clearances WHERE entry_id = ?`, `DELETE FROM catalog_files WHERE entry_id = ?`,
			`DELETE FROM catalog_entries WHERE id = ?`} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return fmt.Errorf("delete catalog draft %d: %w", id, err)
			}
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: agencyID, Action: models.AuditCatalogDeleted,
			ObjectType: models.AuditObjectCatalogEntry, ObjectID: auditID(e), Before: models.AuditData(catalogAudit(e))})
	})
}

// AddCatalogFile checks a file and attaches it to an entry. A non-empty
// attest records, in the same transaction, the publisher's attestation
// that a file without a text layer (a scan) was read in full, so that
// attaching it to a published entry does not take the entry back to
// draft. PDFs count as having no text layer: AttachCatalogFile reads them.
func (s *Store) AddCatalogFile(ctx context.Context, agencyID, entryID int64, filename string, content []byte, attest string) (*models.CatalogFile, *CatalogSaved, error) {
	return s.AttachCatalogFile(ctx, agencyID, entryID, CatalogUpload{Filename: filename, Content: content, Attest: attest})
}

// CatalogUpload is a file to attach to a catalog entry.
type CatalogUpload struct {
	Filename string
	Content  []byte
	// Attest, when not empty, is the publisher's attestation that a file
	// whose text cannot all be read was read in full (see AddCatalogFile).
	Attest string
	// ReadPDF reads a PDF's text layer for the checks; the web layer
	// passes reports.ExtractPDFText (the store does not import reports).
	// Without it every PDF counts as having no text layer.
	ReadPDF models.PDFTextReader
}

// AttachCatalogFile is AddCatalogFile with a PDF text reader: a PDF's
// text is read (before the transaction: it may take seconds) and checked
// like any other text.
func (s *Store) AttachCatalogFile(ctx context.Context, agencyID, entryID int64, up CatalogUpload) (*models.CatalogFile, *CatalogSaved, error) {
	f, err := models.CheckCatalogFileWith(up.Filename, up.Content, up.ReadPDF)
	if err != nil {
		return nil, nil, err
	}
	attest := up.Attest
	if attest != "" {
		if err := models.ValidateClearanceNote(attest); err != nil {
			return nil, nil, err
		}
	}
	sc, err := s.catalogScope(ctx, agencyID)
	if err != nil {
		return nil, nil, err
	}
	var saved *CatalogSaved
	err = s.catalogTx(ctx, func(tx *sql.Tx) error {
		e, err := s.loadEntryTx(ctx, tx, agencyID, entryID)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM catalog_files WHERE entry_id = ?`, entryID).Scan(&n); err != nil {
			return fmt.Errorf("add catalog file: %w", err)
		}
		if n >= models.MaxCatalogFiles {
			return models.Errorf(models.EINVALID, "每个条目最多%d个附件。", models.MaxCatalogFiles)
		}
		now := s.nowUTC()
		res, err := tx.ExecContext(ctx, `INSERT INTO catalog_files (agency_id, entry_id, filename, content_type, size, sha256,
			text_layer, text_content, content, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			agencyID, entryID, f.Filename, f.ContentType, f.Size, f.SHA256, string(f.TextLayer), f.Text, f.Content, now)
		if err != nil {
			return fmt.Errorf("add catalog file: %w", err)
		}
		if f.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		f.AgencyID, f.EntryID, f.CreatedAt = agencyID, entryID, now
		if err := s.touchEntryTx(ctx, tx, e); err != nil {
			return err
		}
		if err := s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: agencyID, Action: models.AuditCatalogFileAdded,
			ObjectType: models.AuditObjectCatalogEntry, ObjectID: auditID(e),
			After: models.AuditData(map[string]any{"file": f.Filename, "size": f.Size, "sha256": f.SHA256, "text_layer": string(f.TextLayer)})}); err != nil {
			return err
		}
		if attest != "" && f.TextLayer != models.TextLayerText {
			review, err := s.reviewTx(ctx, tx, sc, e)
			if err != nil {
				return err
			}
			for _, rf := range review.Findings {
				if rf.Kind == models.CatalogFindingUnreadable && rf.FileID == f.ID && rf.Open() {
					if err := s.clearTx(ctx, tx, e, rf.CatalogFinding, attest); err != nil {
						return err
					}
				}
			}
		}
		saved, err = s.recheckTx(ctx, tx, sc, e)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return &f, saved, nil
}

// touchEntryTx records that an entry changed (its files): a new version.
func (s *Store) touchEntryTx(ctx context.Context, tx *sql.Tx, e *models.CatalogEntry) error {
	now := s.nowUTC()
	e.Version++
	e.UpdatedAt = now
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET version = ?, updated_by = ?, updated_at = ? WHERE id = ?`,
		e.Version, actorID(ctx), now, e.ID); err != nil {
		return fmt.Errorf("update catalog entry %d: %w", e.ID, err)
	}
	return nil
}

// RemoveCatalogFile removes a file from an entry.
func (s *Store) RemoveCatalogFile(ctx context.Context, agencyID, entryID, fileID int64) error {
	return s.catalogTx(ctx, func(tx *sql.Tx) error {
		e, err := s.loadEntryTx(ctx, tx, agencyID, entryID)
		if err != nil {
			return err
		}
		var name string
		err = tx.QueryRowContext(ctx, `SELECT filename FROM catalog_files WHERE entry_id = ? AND id = ?`, entryID, fileID).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return models.Errorf(models.ENOTFOUND, "未找到该文件。")
		}
		if err != nil {
			return fmt.Errorf("remove catalog file: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM catalog_files WHERE id = ?`, fileID); err != nil {
			return fmt.Errorf("remove catalog file: %w", err)
		}
		if err := s.touchEntryTx(ctx, tx, e); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: agencyID, Action: models.AuditCatalogFileRemoved,
			ObjectType: models.AuditObjectCatalogEntry, ObjectID: auditID(e), Before: models.AuditData(map[string]any{"file": name})})
	})
}

// CatalogFile returns a file of an entry with its content. With
// publicOnly, only a file of a published entry is found.
func (s *Store) CatalogFile(ctx context.Context, agencyID, entryID, fileID int64, publicOnly bool) (*models.CatalogFile, error) {
	q := `SELECT f.id, f.agency_id, f.entry_id, f.filename, f.content_type, f.size, f.sha256, f.text_layer, f.content, f.created_at
		FROM catalog_files f JOIN catalog_entries e ON e.id = f.entry_id
		WHERE e.agency_id = ? AND f.entry_id = ? AND f.id = ?`
	args := []any{agencyID, entryID, fileID}
	if publicOnly {
		q += ` AND e.status = ?`
		args = append(args, string(models.CatalogPublished))
	}
	var f models.CatalogFile
	var layer string
	err := s.db.QueryRowContext(ctx, q, args...).Scan(&f.ID, &f.AgencyID, &f.EntryID, &f.Filename, &f.ContentType,
		&f.Size, &f.SHA256, &layer, &f.Content, scanTime{&f.CreatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, models.Errorf(models.ENOTFOUND, "未找到该文件。")
	}
	if err != nil {
		return nil, fmt.Errorf("read catalog file %d: %w", fileID, err)
	}
	f.TextLayer = models.TextLayer(layer)
	return &f, nil
}

// entryFiles returns the files of the entries, by entry; withText also
// loads their text layers (for the checks).
func entryFiles(ctx context.Context, q rowQueryer, ids []int64, withText bool) (map[int64][]models.CatalogFile, error) {
	out := map[int64][]models.CatalogFile{}
	if len(ids) == 0 {
		return out, nil
	}
	text := "''"
	if withText {
		text = "text_content"
	}
	rows, err := q.QueryContext(ctx, `SELECT id, agency_id, entry_id, filename, content_type, size, sha256, text_layer, `+text+`, created_at
		FROM catalog_files WHERE entry_id IN (`+placeholders(len(ids))+`) ORDER BY entry_id, id`, int64Args(ids)...)
	if err != nil {
		return nil, fmt.Errorf("list catalog files: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f models.CatalogFile
		var layer string
		if err := rows.Scan(&f.ID, &f.AgencyID, &f.EntryID, &f.Filename, &f.ContentType, &f.Size, &f.SHA256, &layer,
			&f.Text, scanTime{&f.CreatedAt}); err != nil {
			return nil, fmt.Errorf("list catalog files: %w", err)
		}
		f.TextLayer = models.TextLayer(layer)
		out[f.EntryID] = append(out[f.EntryID], f)
	}
	return out, rows.Err()
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// loadExtras fills the entries' files (metadata), category labels and
// links: the policy each interprets and the interpretations of each. With
// publicOnly, links to entries that are not published are left out.
func (s *Store) loadExtras(ctx context.Context, q rowQueryer, cats models.CatalogCategories, entries []*models.CatalogEntry, publicOnly bool) error {
	if len(entries) == 0 {
		return nil
	}
	ids := make([]int64, len(entries))
	byID := make(map[int64]*models.CatalogEntry, len(entries))
	var targets []int64
	for i, e := range entries {
		ids[i], byID[e.ID] = e.ID, e
		cats.Resolve(e)
		e.Files, e.Interprets, e.Interpretations = nil, nil, nil
		if e.InterpretsID != 0 {
			targets = append(targets, e.InterpretsID)
		}
	}
	files, err := entryFiles(ctx, q, ids, false)
	if err != nil {
		return err
	}
	for id, fs := range files {
		byID[id].Files = fs
	}
	status := ""
	var statusArgs []any
	if publicOnly {
		status = " AND status = ?"
		statusArgs = []any{string(models.CatalogPublished)}
	}
	if len(targets) > 0 {
		rows, err := q.QueryContext(ctx, `SELECT id, index_no, title, status FROM catalog_entries WHERE id IN (`+
			placeholders(len(targets))+`)`+status, append(int64Args(targets), statusArgs...)...)
		if err != nil {
			return fmt.Errorf("read interpreted entries: %w", err)
		}
		links := map[int64]models.CatalogEntryLink{}
		for rows.Next() {
			l, err := scanLink(rows)
			if err != nil {
				rows.Close()
				return err
			}
			links[l.ID] = l
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, e := range entries {
			if l, ok := links[e.InterpretsID]; ok {
				e.Interprets = &l
			}
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT id, index_no, title, status, interprets_id FROM catalog_entries
		WHERE interprets_id IN (`+placeholders(len(ids))+`)`+status+` ORDER BY generated_on, id`, append(int64Args(ids), statusArgs...)...)
	if err != nil {
		return fmt.Errorf("read interpretations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var l models.CatalogEntryLink
		var indexNo sql.NullString
		var st string
		var of int64
		if err := rows.Scan(&l.ID, &indexNo, &l.Title, &st, &of); err != nil {
			return fmt.Errorf("read interpretations: %w", err)
		}
		l.IndexNo, l.Status = indexNo.String, models.CatalogStatus(st)
		byID[of].Interpretations = append(byID[of].Interpretations, l)
	}
	return rows.Err()
}

func scanLink(rows *sql.Rows) (models.CatalogEntryLink, error) {
	var l models.CatalogEntryLink
	var indexNo sql.NullString
	var st string
	if err := rows.Scan(&l.ID, &indexNo, &l.Title, &st); err != nil {
		return l, fmt.Errorf("read linked entry: %w", err)
	}
	l.IndexNo, l.Status = indexNo.String, models.CatalogStatus(st)
	return l, nil
}

// CatalogEntry returns an entry of the agency in any status, with its
// files (metadata), its category and its links.
func (s *Store) CatalogEntry(ctx context.Context, agencyID, id int64) (*models.CatalogEntry, error) {
	return s.catalogEntry(ctx, agencyID, id, false)
}

// PublishedCatalogEntry returns an entry of the public catalog: not found
// unless published, and with links to published entries only.
func (s *Store) PublishedCatalogEntry(ctx context.Context, agencyID, id int64) (*models.CatalogEntry, error) {
	return s.catalogEntry(ctx, agencyID, id, true)
}

func (s *Store) catalogEntry(ctx context.Context, agencyID, id int64, publicOnly bool) (*models.CatalogEntry, error) {
	e, err := scanCatalogEntry(s.db.QueryRowContext(ctx, `SELECT `+catalogColumns("e")+` FROM catalog_entries e
		WHERE e.agency_id = ? AND e.id = ?`, agencyID, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && publicOnly && e.Status != models.CatalogPublished {
		return nil, models.Errorf(models.ENOTFOUND, "未找到该目录条目。")
	}
	if err != nil {
		return nil, fmt.Errorf("read catalog entry %d: %w", id, err)
	}
	cats, err := s.CatalogCategories(ctx, agencyID)
	if err != nil {
		return nil, err
	}
	if err := s.loadExtras(ctx, s.db, cats, []*models.CatalogEntry{e}, publicOnly); err != nil {
		return nil, err
	}
	return e, nil
}

// clearances returns the clearances recorded for an entry.
func clearances(ctx context.Context, q rowQueryer, entryID int64) ([]models.CatalogClearance, error) {
	rows, err := q.QueryContext(ctx, `SELECT fingerprint, kind, excerpt, note, cleared_by, cleared_name, cleared_at
		FROM catalog_clearances WHERE entry_id = ? ORDER BY id`, entryID)
	if err != nil {
		return nil, fmt.Errorf("list clearances: %w", err)
	}
	defer rows.Close()
	var out []models.CatalogClearance
	for rows.Next() {
		var c models.CatalogClearance
		var kind string
		if err := rows.Scan(&c.Fingerprint, &kind, &c.Excerpt, &c.Note, &c.ClearedBy, &c.ClearedName, scanTime{&c.ClearedAt}); err != nil {
			return nil, fmt.Errorf("list clearances: %w", err)
		}
		c.Kind = models.CatalogFindingKind(kind)
		out = append(out, c)
	}
	return out, rows.Err()
}

// reviewTx runs the pre-publication checks on e with its files' text and
// its clearances, read through q.
func (s *Store) reviewTx(ctx context.Context, q rowQueryer, sc *catalogScope, e *models.CatalogEntry) (*models.CatalogReview, error) {
	files, err := entryFiles(ctx, q, []int64{e.ID}, true)
	if err != nil {
		return nil, err
	}
	cl, err := clearances(ctx, q, e.ID)
	if err != nil {
		return nil, err
	}
	// Interpretations, for the advice on policy documents.
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM catalog_entries WHERE interprets_id = ?`, e.ID).Scan(&n); err != nil {
		return nil, fmt.Errorf("count interpretations: %w", err)
	}
	check := *e
	sc.cats.Resolve(&check)
	check.Interpretations = make([]models.CatalogEntryLink, n)
	return models.ReviewCatalogEntry(&check, files[e.ID], sc.links, cl), nil
}

// ReviewCatalogEntry runs the pre-publication checks on an entry now and
// returns the findings with their clearances, and the entry.
func (s *Store) ReviewCatalogEntry(ctx context.Context, agencyID, id int64) (*models.CatalogReview, *models.CatalogEntry, error) {
	sc, err := s.catalogScope(ctx, agencyID)
	if err != nil {
		return nil, nil, err
	}
	e, err := s.CatalogEntry(ctx, agencyID, id)
	if err != nil {
		return nil, nil, err
	}
	r, err := s.reviewTx(ctx, s.db, sc, e)
	if err != nil {
		return nil, nil, err
	}
	return r, e, nil
}

// ClearCatalogFinding records the publisher's reason for publishing an
// entry despite one of its current findings (named by fingerprint).
func (s *Store) ClearCatalogFinding(ctx context.Context, agencyID, entryID int64, fingerprint, note string) error {
	if err := models.ValidateClearanceNote(note); err != nil {
		return err
	}
	sc, err := s.catalogScope(ctx, agencyID)
	if err != nil {
		return err
	}
	return s.catalogTx(ctx, func(tx *sql.Tx) error {
		e, err := s.loadEntryTx(ctx, tx, agencyID, entryID)
		if err != nil {
			return err
		}
		review, err := s.reviewTx(ctx, tx, sc, e)
		if err != nil {
			return err
		}
		f, ok := review.Find(fingerprint)
		if !ok {
			return models.Errorf(models.ENOTFOUND, "该审查提示已不存在（内容可能已修改），请重新检查。")
		}
		return s.clearTx(ctx, tx, e, f.CatalogFinding, note)
	})
}

func (s *Store) clearTx(ctx context.Context, tx *sql.Tx, e *models.CatalogEntry, f models.CatalogFinding, note string) error {
	a, _ := models.ActorFromContext(ctx)
	note = strings.TrimSpace(note)
	excerpt := f.Excerpt
	if r := []rune(excerpt); len(r) > 500 {
		excerpt = string(r[:500])
	}
	now := s.nowUTC()
	if _, err := tx.ExecContext(ctx, `DELETE FROM catalog_clearances WHERE entry_id = ? AND fingerprint = ?`, e.ID, f.Fingerprint); err != nil {
		return fmt.Errorf("clear finding: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO catalog_clearances (agency_id, entry_id, fingerprint, kind, excerpt, note,
		cleared_by, cleared_name, cleared_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.AgencyID, e.ID, f.Fingerprint, string(f.Kind), excerpt, note, a.UserID, a.Name, now); err != nil {
		return fmt.Errorf("clear finding: %w", err)
	}
	return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: e.AgencyID, Action: models.AuditCatalogFindingClosed,
		ObjectType: models.AuditObjectCatalogEntry, ObjectID: auditID(e),
		After: models.AuditData(map[string]any{"kind": f.Kind.Label(), "where": f.SourceLabel(), "excerpt": excerpt, "note": note})})
}

// PublishCatalogEntry publishes a draft or a retired entry. It is refused
// while a finding of the pre-publication checks is open, and for an
// interpretation whose policy is not published. An entry published for the
// first time gets its 索引号 here, from the gap-free counter of the year of
// its 生成日期, in the same transaction.
func (s *Store) PublishCatalogEntry(ctx context.Context, agencyID, id int64) (*models.CatalogEntry, error) {
	sc, err := s.catalogScope(ctx, agencyID)
	if err != nil {
		return nil, err
	}
	var out *models.CatalogEntry
	err = s.catalogTx(ctx, func(tx *sql.Tx) error {
		e, err := s.loadEntryTx(ctx, tx, agencyID, id)
		if err != nil {
			return err
		}
		if e.Status == models.CatalogPublished {
			return models.Errorf(models.ECONFLICT, "该条目已经发布。")
		}
		if e.InterpretsID != 0 {
			var st, title string
			if err := tx.QueryRowContext(ctx, `SELECT status, title FROM catalog_entries WHERE id = ?`, e.InterpretsID).Scan(&st, &title); err != nil {
				return fmt.Errorf("read interpreted entry: %w", err)
			}
			if models.CatalogStatus(st) != models.CatalogPublished {
				return models.Errorf(models.ECONFLICT, "请先发布所解读的政策文件“%s”，再发布本解读。", title)
			}
		}
		review, err := s.reviewTx(ctx, tx, sc, e)
		if err != nil {
			return err
		}
		if n := review.Open(); n > 0 {
			return models.OpenFindingsError(n)
		}
		if e.IndexNo == "" {
			if err := s.assignIndexTx(ctx, tx, sc, e); err != nil {
				return err
			}
		}
		now := s.nowUTC()
		old := e.Status
		e.Status, e.PublishedAt, e.RetiredAt, e.RetireReason = models.CatalogPublished, now, time.Time{}, ""
		e.Version++
		if _, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET status = ?, published_at = ?, retired_at = NULL,
			retire_reason = '', version = ?, updated_by = ?, updated_at = ? WHERE id = ?`,
			string(e.Status), now, e.Version, actorID(ctx), now, e.ID); err != nil {
			return fmt.Errorf("publish catalog entry %d: %w", id, err)
		}
		out = e
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: agencyID, Action: models.AuditCatalogPublished,
			ObjectType: models.AuditObjectCatalogEntry, ObjectID: auditID(e),
			Before: models.AuditData(map[string]any{"status": string(old)}),
			After:  models.AuditData(map[string]any{"status": string(e.Status), "index_no": e.IndexNo, "cleared_findings": len(review.Findings)})})
	})
	if err != nil {
		return nil, err
	}
	sc.cats.Resolve(out)
	return out, nil
}

// assignIndexTx gives e the next free 索引号 of the year of its 生成日期
// (see models/catalog_index.go).
func (s *Store) assignIndexTx(ctx context.Context, tx *sql.Tx, sc *catalogScope, e *models.CatalogEntry) error {
	year := e.GeneratedOn.Year()
	for tries := 0; ; tries++ {
		seq, err := s.nextValue(ctx, tx, e.AgencyID, seqCatalogIndex, year)
		if err != nil {
			return err
		}
		no := sc.settings.Index.Format(sc.agency.Code, year, seq)
		if utf8.RuneCountInString(no) > models.MaxCatalogIndexNo {
			return models.Errorf(models.EINVALID, "按当前规则生成的索引号过长，请在目录设置中修改索引号规则。")
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM catalog_entries WHERE agency_id = ? AND index_no = ?`,
			e.AgencyID, no).Scan(&n); err != nil {
			return fmt.Errorf("assign index number: %w", err)
		}
		if n > 0 {
			if tries > 100000 {
				return fmt.Errorf("assign index number: no free number after %d tries", tries)
			}
			continue // taken by an imported entry: that number is used, move on
		}
		if _, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET index_no = ?, index_year = ?, index_seq = ? WHERE id = ?`,
			no, year, seq, e.ID); err != nil {
			return fmt.Errorf("assign index number: %w", err)
		}
		e.IndexNo = no
		return nil
	}
}

// RetireCatalogEntry takes a published entry out of the public catalog
// (and out of the counts). reason is recorded. A document that is no
// longer in force is not retired: give it a 废止日期 instead.
func (s *Store) RetireCatalogEntry(ctx context.Context, agencyID, id int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n < 2 || n > 200 {
		return models.Invalid(models.FieldError{Field: "reason", Message: "请填写撤下的理由（2至200个字）。"})
	}
	return s.catalogTx(ctx, func(tx *sql.Tx) error {
		e, err := s.loadEntryTx(ctx, tx, agencyID, id)
		if err != nil {
			return err
		}
		if e.Status != models.CatalogPublished {
			return models.Errorf(models.ECONFLICT, "只有已发布的条目可以撤下。")
		}
		now := s.nowUTC()
		if _, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET status = ?, retired_at = ?, retire_reason = ?,
			version = version + 1, updated_by = ?, updated_at = ? WHERE id = ?`,
			string(models.CatalogRetired), now, reason, actorID(ctx), now, id); err != nil {
			return fmt.Errorf("retire catalog entry %d: %w", id, err)
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: agencyID, Action: models.AuditCatalogRetired,
			ObjectType: models.AuditObjectCatalogEntry, ObjectID: auditID(e),
			Before: models.AuditData(map[string]any{"status": string(e.Status)}),
			After:  models.AuditData(map[string]any{"status": string(models.CatalogRetired), "reason": reason})})
	})
}

// catalogWhere builds the WHERE clause of a query.
func catalogWhere(q *models.CatalogQuery, cats models.CatalogCategories) (string, []any) {
	conds := []string{"e.agency_id = ?", "e.status IN (" + placeholders(len(q.Statuses)) + ")"}
	args := []any{q.AgencyID}
	for _, st := range q.Statuses {
		args = append(args, string(st))
	}
	if q.Text != "" {
		like := "%" + likeEscape(q.Text) + "%"
		conds = append(conds, `(e.title LIKE ? ESCAPE '!' OR e.summary LIKE ? ESCAPE '!' OR e.doc_number LIKE ? ESCAPE '!' OR e.index_no LIKE ? ESCAPE '!')`)
		args = append(args, like, like, like, like)
	}
	if q.Category != "" {
		conds = append(conds, "e.category = ?")
		args = append(args, q.Category)
	}
	if q.Year != 0 {
		conds = append(conds, "e.generated_on >= ? AND e.generated_on <= ?")
		args = append(args, models.NewDate(q.Year, 1, 1), models.NewDate(q.Year, 12, 31))
	}
	if q.Validity != "" {
		dated := "e.effective_on IS NOT NULL OR e.amended_on IS NOT NULL OR e.repealed_on IS NOT NULL"
		var docCats []any
		for _, k := range []models.CatalogDocKind{models.DocRule, models.DocNormative} {
			for _, c := range cats.CodesOf(k) {
				docCats = append(docCats, c)
			}
		}
		if len(docCats) > 0 {
			dated = "e.category IN (" + placeholders(len(docCats)) + ") OR " + dated
			args = append(args, docCats...)
		}
		conds = append(conds, "("+dated+")")
		on := q.On
		switch q.Validity {
		case models.ValidityRepealed:
			conds = append(conds, "e.repealed_on IS NOT NULL AND e.repealed_on <= ?")
			args = append(args, on)
		case models.ValidityPending:
			conds = append(conds, "(e.repealed_on IS NULL OR e.repealed_on > ?) AND e.generated_on <= ? AND COALESCE(e.effective_on, e.generated_on) > ?")
			args = append(args, on, on, on)
		default: // in force, amended or not
			conds = append(conds, "(e.repealed_on IS NULL OR e.repealed_on > ?) AND COALESCE(e.effective_on, e.generated_on) <= ?")
			args = append(args, on, on)
		}
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// likeEscape escapes LIKE's wildcards with ! (the ESCAPE character both
// engines accept the same way).
func likeEscape(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s)
}

// SearchCatalog returns one page of the entries q selects, newest 生成日期
// first, with their files (metadata), categories and links. Without
// statuses it searches the public catalog.
func (s *Store) SearchCatalog(ctx context.Context, q models.CatalogQuery) (*models.CatalogPage, error) {
	cats, err := s.CatalogCategories(ctx, q.AgencyID)
	if err != nil {
		return nil, err
	}
	if err := q.Normalize(cats); err != nil {
		return nil, err
	}
	if q.On.IsZero() {
		q.On = s.Today()
	}
	where, args := catalogWhere(&q, cats)
	page := &models.CatalogPage{Page: q.Page, PerPage: q.PerPage}
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM catalog_entries e`+where, args...).Scan(&page.Total); err != nil {
		return nil, fmt.Errorf("count catalog entries: %w", err)
	}
	page.Pages = max(1, (page.Total+q.PerPage-1)/q.PerPage)
	rows, err := s.db.QueryContext(ctx, `SELECT `+catalogColumns("e")+` FROM catalog_entries e`+where+
		` ORDER BY e.generated_on DESC, e.id DESC LIMIT ? OFFSET ?`, append(args, q.PerPage, (q.Page-1)*q.PerPage)...)
	if err != nil {
		return nil, fmt.Errorf("search catalog: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanCatalogEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("search catalog: %w", err)
		}
		page.Entries = append(page.Entries, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	public := len(q.Statuses) == 1 && q.Statuses[0] == models.CatalogPublished
	return page, s.loadExtras(ctx, s.db, cats, page.Entries, public)
}

// EachCatalogEntry calls fn with every entry q selects (its page is
// ignored), newest 生成日期 first, with files (metadata), categories and
// links, reading catalogChunk entries at a time: an export of 100,000
// entries holds one chunk in memory, and no query stays open while fn
// runs. It stops at fn's first error and returns it.
func (s *Store) EachCatalogEntry(ctx context.Context, q models.CatalogQuery, fn func(*models.CatalogEntry) error) error {
	cats, err := s.CatalogCategories(ctx, q.AgencyID)
	if err != nil {
		return err
	}
	if err := q.Normalize(cats); err != nil {
		return err
	}
	if q.On.IsZero() {
		q.On = s.Today()
	}
	public := len(q.Statuses) == 1 && q.Statuses[0] == models.CatalogPublished
	where, args := catalogWhere(&q, cats)
	var lastOn models.Date
	var lastID int64
	for {
		w, a := where, args
		if lastID != 0 {
			w += " AND (e.generated_on < ? OR (e.generated_on = ? AND e.id < ?))"
			a = append(append([]any{}, args...), lastOn, lastOn, lastID)
		}
		chunk, err := s.catalogChunk(ctx, w, a)
		if err != nil {
			return err
		}
		if len(chunk) == 0 {
			return nil
		}
		if err := s.loadExtras(ctx, s.db, cats, chunk, public); err != nil {
			return err
		}
		for _, e := range chunk {
			if err := fn(e); err != nil {
				return err
			}
		}
		last := chunk[len(chunk)-1]
		lastOn, lastID = last.GeneratedOn, last.ID
		if len(chunk) < catalogChunk {
			return nil
		}
	}
}

func (s *Store) catalogChunk(ctx context.Context, where string, args []any) ([]*models.CatalogEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+catalogColumns("e")+` FROM catalog_entries e`+where+
		` ORDER BY e.generated_on DESC, e.id DESC LIMIT `+strconv.Itoa(catalogChunk), args...)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	defer rows.Close()
	var out []*models.CatalogEntry
	for rows.Next() {
		e, err := scanCatalogEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("read catalog: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// CatalogYears returns the years of the 生成日期 of the agency's
// published entries, newest first, for the year filter.
func (s *Store) CatalogYears(ctx context.Context, agencyID int64) ([]int, error) {
	var first, last models.Date
	if err := s.db.QueryRowContext(ctx, `SELECT MIN(generated_on), MAX(generated_on) FROM catalog_entries
		WHERE agency_id = ? AND status = ?`, agencyID, string(models.CatalogPublished)).Scan(&first, &last); err != nil {
		return nil, fmt.Errorf("catalog years: %w", err)
	}
	if first.IsZero() {
		return nil, nil
	}
	var out []int
	for y := last.Year(); y >= first.Year(); y-- {
		out = append(out, y)
	}
	return out, nil
}

// CatalogCounts returns table 二's first block (规章 and 行政规范性文件:
// 本年制发, 本年废止, 现行有效) for year from the dated catalog, by the rule
// of models.CountCatalog: published entries of the categories flagged as
// 规章 or 行政规范性文件, interpretations left out. Because it counts from
// the stored dates, the figures of a past year are the same whenever they
// are asked for (unless entries of that year were corrected since).
func (s *Store) CatalogCounts(ctx context.Context, agencyID int64, year int) (models.CatalogCounts, error) {
	var c models.CatalogCounts
	cats, err := s.CatalogCategories(ctx, agencyID)
	if err != nil {
		return c, err
	}
	start, end := models.NewDate(year, 1, 1), models.NewDate(year, 12, 31)
	rows, err := s.db.QueryContext(ctx, `SELECT category,
		SUM(CASE WHEN generated_on >= ? AND generated_on <= ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN repealed_on IS NOT NULL AND repealed_on >= ? AND repealed_on <= ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN generated_on <= ? AND (repealed_on IS NULL OR repealed_on > ?) THEN 1 ELSE 0 END)
		FROM catalog_entries WHERE agency_id = ? AND status = ? AND interprets_id IS NULL
		GROUP BY category`, start, end, start, end, end, end, agencyID, string(models.CatalogPublished))
	if err != nil {
		return c, fmt.Errorf("count catalog: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var issued, repealed, inForce int
		if err := rows.Scan(&code, &issued, &repealed, &inForce); err != nil {
			return c, fmt.Errorf("count catalog: %w", err)
		}
		cat, ok := cats.Lookup(code)
		if !ok {
			continue
		}
		var line *models.CatalogLine
		switch cat.DocKind {
		case models.DocRule:
			line = &c.Rules
		case models.DocNormative:
			line = &c.Normative
		default:
			continue
		}
		line.Issued += issued
		line.Repealed += repealed
		line.InForce += inForce
	}
	return c, rows.Err()
}

// MaxImportRows caps the rows of one catalog import.
const MaxImportRows = 200000

// ImportCatalog stores the rows of an imported catalog spreadsheet in one
// transaction: a row whose 索引号 names an entry of the agency updates it;
// any other row becomes a new draft (keeping a 索引号 it brings from an
// earlier catalog). The 所解读政策文件的索引号 column links an
// interpretation to a row of the file or a stored entry. Nothing is
// published: drafts go through the pre-publication checks, and a published
// entry whose change raises a finding goes back to draft. If any row is
// wrong, nothing is imported and the EINVALID error returned wraps a
// *models.ImportError that lists the problems (find it with errors.As).
func (s *Store) ImportCatalog(ctx context.Context, agencyID int64, rows []models.CatalogImportRow) (*models.CatalogImportResult, error) {
	sc, err := s.catalogScope(ctx, agencyID)
	if err != nil {
		return nil, err
	}
	problems := &models.ImportError{}
	if len(rows) > MaxImportRows {
		problems.Add(models.RowError{Message: fmt.Sprintf("一次最多导入%d行，请分批导入。", MaxImportRows)})
		return nil, problems.Err()
	}
	if len(rows) == 0 {
		problems.Add(models.RowError{Message: "文件中没有可导入的数据行。"})
		return nil, problems.Err()
	}
	seen := map[string]int{}
	for i := range rows {
		r := &rows[i]
		if err := sc.prepareEntry(&r.Entry); err != nil {
			for _, p := range models.RowErrorsOf(r.Row, err) {
				problems.Add(p)
			}
		}
		if no := r.Entry.IndexNo; no != "" {
			if prev, dup := seen[no]; dup {
				problems.Add(models.RowError{Row: r.Row, Column: models.CatalogColumnTitle(models.ColIndexNo),
					Message: fmt.Sprintf("索引号“%s”与第%d行重复。", no, prev)})
			}
			seen[no] = r.Row
		}
	}
	if problems.Count() > 0 {
		return nil, problems.Err()
	}
	res := &models.CatalogImportResult{}
	err = s.catalogTx(ctx, func(tx *sql.Tx) error {
		existing, err := s.entriesByIndexTx(ctx, tx, agencyID, rows)
		if err != nil {
			return err
		}
		ids := make([]int64, len(rows))
		unchanged := make([]bool, len(rows))
		var changed []*models.CatalogEntry
		// The file lists the newest first: store from the bottom up, so
		// that entries of the same date keep their order in the next
		// export (which breaks ties by id).
		for i := len(rows) - 1; i >= 0; i-- {
			r := &rows[i]
			e := &r.Entry
			old, ok := existing[e.IndexNo]
			if e.IndexNo == "" || !ok {
				e.InterpretsID = 0 // linked below
				if err := s.insertEntryTx(ctx, tx, e); err != nil {
					for _, p := range models.RowErrorsOf(r.Row, err) {
						problems.Add(p)
					}
					continue
				}
				ids[i] = e.ID
				res.Created++
				continue
			}
			ids[i], e.ID, e.InterpretsID = old.ID, old.ID, old.InterpretsID
			if sameEntry(old, e) {
				res.Unchanged++
				unchanged[i] = true
				continue
			}
			if err := s.writeImportedTx(ctx, tx, old, e); err != nil {
				return err
			}
			res.Updated++
			changed = append(changed, e)
		}
		if problems.Count() > 0 {
			return problems.Err()
		}
		// Links, once every row has an id.
		byIndex := map[string]int64{}
		for i := range rows {
			if no := rows[i].Entry.IndexNo; no != "" {
				byIndex[no] = ids[i]
			}
		}
		for i := range rows {
			r := &rows[i]
			want, found, err := s.importTarget(ctx, tx, r, byIndex, existing)
			if err != nil {
				return err
			}
			if !found {
				problems.Add(models.RowError{Row: r.Row, Column: models.CatalogColumnTitle(models.ColInterprets),
					Message: fmt.Sprintf("找不到索引号为“%s”的政策文件（本文件和已有目录中都没有）。", r.InterpretsIndexNo)})
				continue
			}
			if want < 0 || want == r.Entry.InterpretsID {
				continue
			}
			if want == ids[i] {
				problems.Add(models.RowError{Row: r.Row, Column: models.CatalogColumnTitle(models.ColInterprets), Message: "解读不能关联到本条目自身。"})
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET interprets_id = ?, version = version + 1 WHERE id = ?`,
				nullID(want), ids[i]); err != nil {
				return fmt.Errorf("import catalog: link interpretation: %w", err)
			}
			if unchanged[i] {
				unchanged[i] = false
				res.Unchanged--
				res.Updated++
			}
			r.Entry.InterpretsID = want
		}
		// No chains: a policy may not itself be an interpretation.
		if err := s.importChainProblems(ctx, tx, agencyID, rows, ids, problems); err != nil {
			return err
		}
		if problems.Count() > 0 {
			return problems.Err()
		}
		for _, e := range changed {
			saved, err := s.recheckTx(ctx, tx, sc, e)
			if err != nil {
				return err
			}
			if saved.Unpublished {
				res.Unpublished++
			}
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: agencyID, Action: models.AuditCatalogImported,
			ObjectType: models.AuditObjectAgency, ObjectID: strconv.FormatInt(agencyID, 10),
			After: models.AuditData(map[string]any{"rows": len(rows), "created": res.Created, "updated": res.Updated,
				"unchanged": res.Unchanged, "unpublished": res.Unpublished})})
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// entriesByIndexTx returns the stored entries of the agency whose 索引号
// appear in rows.
func (s *Store) entriesByIndexTx(ctx context.Context, tx *sql.Tx, agencyID int64, rows []models.CatalogImportRow) (map[string]*models.CatalogEntry, error) {
	var nos []any
	for _, r := range rows {
		if r.Entry.IndexNo != "" {
			nos = append(nos, r.Entry.IndexNo)
		}
		if r.InterpretsIndexNo != "" {
			nos = append(nos, r.InterpretsIndexNo)
		}
	}
	out := map[string]*models.CatalogEntry{}
	for start := 0; start < len(nos); start += catalogChunk {
		part := nos[start:min(start+catalogChunk, len(nos))]
		q, err := tx.QueryContext(ctx, `SELECT `+catalogColumns("e")+` FROM catalog_entries e
			WHERE e.agency_id = ? AND e.index_no IN (`+placeholders(len(part))+`)`, append([]any{agencyID}, part...)...)
		if err != nil {
			return nil, fmt.Errorf("import catalog: %w", err)
		}
		for q.Next() {
			e, err := scanCatalogEntry(q)
			if err != nil {
				q.Close()
				return nil, fmt.Errorf("import catalog: %w", err)
			}
			out[e.IndexNo] = e
		}
		q.Close()
		if err := q.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sameEntry reports whether an import row changes nothing of a stored
// entry.
func sameEntry(old, e *models.CatalogEntry) bool {
	return old.Title == e.Title && old.Summary == e.Summary && old.GeneratedOn == e.GeneratedOn &&
		old.Publisher == e.Publisher && old.Category == e.Category && old.DocNumber == e.DocNumber &&
		old.EffectiveOn == e.EffectiveOn && old.AmendedOn == e.AmendedOn && old.RepealedOn == e.RepealedOn &&
		old.URL == e.URL
}

// writeImportedTx writes the imported fields over a stored entry.
func (s *Store) writeImportedTx(ctx context.Context, tx *sql.Tx, old, e *models.CatalogEntry) error {
	now := s.nowUTC()
	e.Status, e.Version, e.CreatedAt, e.UpdatedAt = old.Status, old.Version+1, old.CreatedAt, now
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET title = ?, summary = ?, generated_on = ?, publisher = ?,
		category = ?, doc_number = ?, effective_on = ?, amended_on = ?, repealed_on = ?, url = ?, version = ?,
		updated_by = ?, updated_at = ? WHERE id = ?`,
		e.Title, e.Summary, e.GeneratedOn, e.Publisher, e.Category, e.DocNumber, e.EffectiveOn, e.AmendedOn,
		e.RepealedOn, e.URL, e.Version, actorID(ctx), now, old.ID); err != nil {
		return fmt.Errorf("import catalog: update entry %d: %w", old.ID, err)
	}
	return nil
}

// importTarget returns the entry id a row's interpretation column names,
// 0 to clear the link, or -1 to leave it as it is: an empty cell keeps the
// link of a stored entry whose policy has no 索引号 yet (a draft), because
// the export could not write it. found is false when the named 索引号 is
// neither in the file nor stored.
func (s *Store) importTarget(ctx context.Context, tx *sql.Tx, r *models.CatalogImportRow,
	byIndex map[string]int64, existing map[string]*models.CatalogEntry) (id int64, found bool, err error) {
	if r.InterpretsIndexNo == "" {
		if r.Entry.InterpretsID == 0 {
			return -1, true, nil
		}
		var no sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT index_no FROM catalog_entries WHERE id = ?`, r.Entry.InterpretsID).Scan(&no); err != nil {
			return 0, false, fmt.Errorf("import catalog: %w", err)
		}
		if !no.Valid {
			return -1, true, nil
		}
		return 0, true, nil
	}
	if id, ok := byIndex[r.InterpretsIndexNo]; ok {
		return id, true, nil
	}
	if e, ok := existing[r.InterpretsIndexNo]; ok {
		return e.ID, true, nil
	}
	return 0, false, nil
}

// importChainProblems reports rows whose policy is itself an
// interpretation, or that interpret a policy while being one's policy.
func (s *Store) importChainProblems(ctx context.Context, tx *sql.Tx, agencyID int64, rows []models.CatalogImportRow, ids []int64, problems *models.ImportError) error {
	q, err := tx.QueryContext(ctx, `SELECT c.id FROM catalog_entries c JOIN catalog_entries p ON p.id = c.interprets_id
		WHERE c.agency_id = ? AND p.interprets_id IS NOT NULL`, agencyID)
	if err != nil {
		return fmt.Errorf("import catalog: check links: %w", err)
	}
	defer q.Close()
	bad := map[int64]bool{}
	for q.Next() {
		var id int64
		if err := q.Scan(&id); err != nil {
			return err
		}
		bad[id] = true
	}
	if err := q.Err(); err != nil {
		return err
	}
	for i, r := range rows {
		if bad[ids[i]] {
			problems.Add(models.RowError{Row: r.Row, Column: models.CatalogColumnTitle(models.ColInterprets),
				Message: "所解读的条目本身是解读，请填写政策文件的索引号。"})
		}
	}
	return nil
}

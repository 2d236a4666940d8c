package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gongkai/models"
)

// Notice is a letter the agency issued on an application (告知书, 回执,
// 答复书), as the notices table records it. The PDF is an attachment of kind
// notice; Body is the JSON the PDF was rendered from.
type Notice struct {
	ID             int64
	AgencyID       int64
	ApplicationID  int64
	Kind           string // what the letter is, e.g. correction, extension, answer
	Number         string // e.g. 铁民公开〔2026〕第12号
	Title          string // e.g. 政府信息公开申请补正告知书
	IssuedOn       models.Date
	AttachmentID   int64 // the rendered PDF; 0 while none is stored
	DeliveryMethod models.Delivery
	DeliveredOn    models.Date
	// DeliveryRef is the postal item number of a notice served by post.
	DeliveryRef string
	// EventSeq is the ledger event the notice was issued with (0 for
	// notices written before it was recorded).
	EventSeq int
}

// Filename is the name a notice's PDF is stored and downloaded under.
func (n *Notice) Filename() string {
	if n.Number == "" {
		return n.Title + ".pdf"
	}
	return n.Title + "（" + n.Number + "）.pdf"
}

// Delivered reports whether the notice's delivery is recorded.
func (n *Notice) Delivered() bool { return !n.DeliveredOn.IsZero() }

// NoticeKind returns the notice's kind as models names it.
func (n *Notice) NoticeKind() models.NoticeKind { return models.NoticeKind(n.Kind) }

// HasPDF reports whether the notice's PDF is stored.
func (n *Notice) HasPDF() bool { return n.AttachmentID != 0 }

// noticeKindsToOthers are the notice kinds addressed to someone other than
// the applicant: a consulted third party (条例第三十二条), a co-producing
// agency (第三十四条), an assisting agency. The applicant's tracking page
// does not list them; they may name a third party. Notice writers use these
// kind names for such letters.
var noticeKindsToOthers = map[string]bool{
	"consultation_third_party": true, // 征求意见书（给第三方）
	"consultation_co_producer": true, // 征求意见书（给共同制作机关）
	"disclosure_third_party":   true, // 依申请公开告知书（给第三方）
	"assist_request":           true, // 协办函
}

// ForApplicant reports whether the notice is addressed to the applicant,
// and so belongs on the applicant's tracking page.
func (n *Notice) ForApplicant() bool { return !noticeKindsToOthers[n.Kind] }

const noticeColumns = `id, agency_id, application_id, kind, number, title, issued_on, attachment_id,
	delivery_method, delivered_on, delivery_ref, event_seq`

// scanNotice reads noticeColumns, then any extra columns into extra.
func scanNotice(row interface{ Scan(...any) error }, extra ...any) (*Notice, error) {
	var n Notice
	var att sql.NullInt64
	err := row.Scan(append([]any{&n.ID, &n.AgencyID, &n.ApplicationID, &n.Kind, &n.Number, &n.Title, &n.IssuedOn, &att,
		&n.DeliveryMethod, &n.DeliveredOn, &n.DeliveryRef, &n.EventSeq}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, models.Errorf(models.ENOTFOUND, "未找到该文书。")
	}
	if err != nil {
		return nil, fmt.Errorf("read notice: %w", err)
	}
	n.AttachmentID = att.Int64
	return &n, nil
}

// Notices lists an application's notices, oldest first.
func (s *Store) Notices(ctx context.Context, applicationID int64) ([]*Notice, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+noticeColumns+` FROM notices WHERE application_id = ?
		ORDER BY issued_on, id`, applicationID)
	if err != nil {
		return nil, fmt.Errorf("list notices: %w", err)
	}
	defer rows.Close()
	var out []*Notice
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// NoticePDF returns a notice with its stored PDF (decrypted). A notice of
// another application, or one without a stored PDF, is not found: ids
// alone never open a file.
func (s *Store) NoticePDF(ctx context.Context, applicationID, noticeID int64) (*Notice, *models.Attachment, error) {
	n, err := scanNotice(s.db.QueryRowContext(ctx, `SELECT `+noticeColumns+` FROM notices
		WHERE application_id = ? AND id = ?`, applicationID, noticeID))
	if err != nil {
		return nil, nil, err
	}
	if !n.HasPDF() {
		return nil, nil, models.Errorf(models.ENOTFOUND, "该文书尚无电子版。")
	}
	a, err := s.Attachment(ctx, applicationID, n.AttachmentID)
	if err != nil {
		return nil, nil, err
	}
	return n, a, nil
}
